"""小区议事堂's station calls: ``CouncilApi`` (what the council journey calls, part of
``client.StationApi``) and ``CouncilCalls`` (their HTTP side, part of ``client.StationClient``)."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from .errors import BAD_RESPONSE, StationError
from .records.council import CompoundProposals, CouncilCategory, Proposal

T = TypeVar("T")
PRINT_TIMEOUT = 45.0  # as client.PRINT_TIMEOUT: a print job waits for the paper to come out


class CouncilApi(Protocol):
    def council_categories(self) -> list[CouncilCategory]: ...
    def council_mine(self, session_id: str) -> CompoundProposals: ...
    def raise_proposal(self, *, session_id: str, compound: str, category: str, title: str, text: str,
                       idempotency_key: str, photo: bytes | None = None) -> Proposal: ...
    def support_proposal(self, proposal_id: str, *, session_id: str) -> Proposal: ...
    def print_proposal(self, proposal_id: str) -> Proposal: ...


class CouncilCalls:
    """The council's calls over the client's ``_request``."""

    def _request(self, method: str, path: str, body: dict[str, Any] | None = None, *,
                 timeout: float | None = None, pin: str | None = None) -> Any:
        raise NotImplementedError

    def council_categories(self) -> list[CouncilCategory]:
        """What a proposal may be about."""
        body = self._request("GET", "/api/council/categories")
        return [_parse(CouncilCategory.parse, c) for c in _listed(body)]

    def council_mine(self, session_id: str) -> CompoundProposals:
        """The identified resident's compound and its proposals (which their household supports)."""
        return _parse(CompoundProposals.parse,
                      self._request("GET", f"/api/council/mine?session_id={session_id}"))

    def raise_proposal(self, *, session_id: str, compound: str, category: str, title: str, text: str,
                       idempotency_key: str, photo: bytes | None = None) -> Proposal:
        """Raise a proposal for the resident's compound (their household supports it), with the
        photo taken at the kiosk if any."""
        body = {"session_id": session_id, "compound": compound, "category": category, "title": title,
                "text": text, "idempotency_key": idempotency_key,
                "photo_jpeg_base64": base64.b64encode(photo).decode("ascii") if photo else None}
        return _parse(Proposal.parse, self._request("POST", "/api/council/proposals", body))

    def support_proposal(self, proposal_id: str, *, session_id: str) -> Proposal:
        """Support a proposal, once per household (council.already_supported the second time)."""
        body = self._request("POST", f"/api/council/proposals/{proposal_id}/support",
                             {"session_id": session_id})
        return _parse(Proposal.parse, body)

    def print_proposal(self, proposal_id: str) -> Proposal:
        """Print a proposal's status and the council's decision."""
        body = self._request("POST", f"/api/council/proposals/{proposal_id}/print", {},
                             timeout=PRINT_TIMEOUT)
        return _parse(Proposal.parse, body)


def _parse(parse: Callable[[Any], T], body: Any) -> T:
    try:
        return parse(body)
    except (KeyError, TypeError, ValueError, AttributeError) as err:
        raise StationError.local(BAD_RESPONSE, detail=f"{type(err).__name__}: {err}") from err


def _listed(body: Any) -> list[Any]:
    if not isinstance(body, list):
        raise StationError.local(BAD_RESPONSE, detail="expected a list")
    return body
