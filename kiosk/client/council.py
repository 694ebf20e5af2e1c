"""小区议事堂 (the compound council): what a proposal may be about, the compound's proposals,
raising one, supporting one (once per household) and printing one with the council's decision."""

from __future__ import annotations

import base64
from typing import Protocol

from ..records.council import CompoundProposals, CouncilCategory, Proposal
from .transport import PRINT_TIMEOUT, Calls, parsed, parsed_list


class CouncilApi(Protocol):
    def council_categories(self) -> list[CouncilCategory]: ...
    def council_mine(self, session_id: str) -> CompoundProposals: ...
    def raise_proposal(self, *, session_id: str, compound: str, category: str, title: str, text: str,
                       idempotency_key: str, photo: bytes | None = None) -> Proposal: ...
    def support_proposal(self, proposal_id: str, *, session_id: str) -> Proposal: ...
    def print_proposal(self, proposal_id: str) -> Proposal: ...


class CouncilCalls(Calls):
    def council_categories(self) -> list[CouncilCategory]:
        """What a proposal may be about."""
        return parsed_list(CouncilCategory.parse, self._request("GET", "/api/council/categories"))

    def council_mine(self, session_id: str) -> CompoundProposals:
        """The identified resident's compound and its proposals (which their household supports)."""
        return parsed(CompoundProposals.parse,
                      self._request("GET", f"/api/council/mine?session_id={session_id}"))

    def raise_proposal(self, *, session_id: str, compound: str, category: str, title: str, text: str,
                       idempotency_key: str, photo: bytes | None = None) -> Proposal:
        """Raise a proposal for the resident's compound (their household supports it), with the
        photo taken at the kiosk if any."""
        body = {"session_id": session_id, "compound": compound, "category": category, "title": title,
                "text": text, "idempotency_key": idempotency_key,
                "photo_jpeg_base64": base64.b64encode(photo).decode("ascii") if photo else None}
        return parsed(Proposal.parse, self._request("POST", "/api/council/proposals", body))

    def support_proposal(self, proposal_id: str, *, session_id: str) -> Proposal:
        """Support a proposal, once per household (council.already_supported the second time)."""
        body = self._request("POST", f"/api/council/proposals/{proposal_id}/support",
                             {"session_id": session_id})
        return parsed(Proposal.parse, body)

    def print_proposal(self, proposal_id: str) -> Proposal:
        """Print a proposal's status and the council's decision."""
        body = self._request("POST", f"/api/council/proposals/{proposal_id}/print", {},
                             timeout=PRINT_TIMEOUT)
        return parsed(Proposal.parse, body)
