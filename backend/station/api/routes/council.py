"""The compound council (议事堂) at the kiosk: proposals, a household's support, the decisions.
Calls that concern the resident carry the ``session_id`` of an identified session.

    GET  /api/council/categories · GET /api/council/proposals[?compound=] · GET /api/council/proposals/{id}
    GET  /api/council/mine?session_id=            the resident's compound and its proposals (supported?)
    POST /api/council/proposals                   {session_id, compound, category, title, text, photo,
                                                  idempotency_key}: a retry returns the same one
    POST /api/council/proposals/{id}/support      {session_id}: once per household
    POST /api/council/proposals/{id}/print        print its status and decision
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from fastapi import APIRouter, Query
from pydantic import Field

from backend.shared.community.errors import BAD_PROPOSAL
from backend.shared.errors import AppError
from devices.printer.document import Cut, Document, Feed, Text, Title

from ...services import community_council as council
from ..deps import RuntimeDep
from ..printing import print_document
from ..residents import identified
from .community_common import SessionBody, wake

router = APIRouter(tags=["community"])


class ProposalBody(SessionBody):
    compound: str = Field(max_length=32)
    category: str = Field(max_length=32)
    title: str = Field(min_length=1, max_length=64)
    text: str = Field("", max_length=2000)
    photo_jpeg_base64: str | None = Field(None, max_length=700_000)
    idempotency_key: str | None = Field(
        None, pattern=r"^[A-Za-z0-9_-]{8,80}$", description="per proposal; a retry returns the same one"
    )


@router.get("/api/council/categories")
def council_categories() -> list[dict[str, Any]]:
    """What a proposal may be about (the request categories a council handles)."""
    return council.categories()


@router.get("/api/council/proposals")
def proposals(runtime: RuntimeDep, compound: str = Query("", max_length=32)) -> list[dict[str, Any]]:
    """The community's proposals (of one compound), the latest first, with support and state."""
    with runtime.db() as session:
        return council.listed(session, compound or None)


@router.get("/api/council/mine")
def my_compound_proposals(
    runtime: RuntimeDep, session_id: str = Query(min_length=8, max_length=64)
) -> dict[str, Any]:
    """The identified resident's compound and its proposals, each with ``supported`` (their household)."""
    identity = identified(runtime, session_id)
    with runtime.db() as session:
        return council.of_household(
            session, identity, community_code=runtime.community.code, protector=runtime.keys.protector
        )


@router.get("/api/council/proposals/{proposal_id}")
def proposal(proposal_id: str, runtime: RuntimeDep) -> dict[str, Any]:
    """One proposal: its state, support, meeting and decision (``print_lines`` for the slip)."""
    with runtime.db() as session:
        return council.get(session, proposal_id)


@router.post("/api/council/proposals", status_code=201)
def raise_proposal(body: ProposalBody, runtime: RuntimeDep) -> dict[str, Any]:
    """Raise a proposal for the resident's own compound (their household supports it)."""
    identity = identified(runtime, body.session_id)
    photo = None
    if body.photo_jpeg_base64:
        try:
            photo = base64.b64decode(body.photo_jpeg_base64, validate=True)
        except (binascii.Error, ValueError) as err:
            raise AppError(BAD_PROPOSAL, detail="photo") from err
    result = council.raise_proposal(
        runtime.db,
        identity=identity,
        community_code=runtime.community.code,
        protector=runtime.keys.protector,
        compound_code=body.compound,
        category=body.category,
        title=body.title,
        text=body.text,
        photo=photo,
        now=runtime.clock.now(),
        idempotency_key=body.idempotency_key,
    )
    wake(runtime)
    return result


@router.post("/api/council/proposals/{proposal_id}/support")
def support(proposal_id: str, body: SessionBody, runtime: RuntimeDep) -> dict[str, Any]:
    """Support a proposal of the resident's compound: once per household."""
    identity = identified(runtime, body.session_id)
    result = council.support(
        runtime.db,
        identity=identity,
        community_code=runtime.community.code,
        protector=runtime.keys.protector,
        proposal_id=proposal_id,
        now=runtime.clock.now(),
    )
    wake(runtime)
    return result


@router.post("/api/council/proposals/{proposal_id}/print")
async def print_proposal(proposal_id: str, runtime: RuntimeDep) -> dict[str, Any]:
    """Print a proposal's status and the council's decision."""
    shown = proposal(proposal_id, runtime)
    document = Document.of(
        Title("小区议事堂"), *[Text(line) for line in shown["print_lines"]], Feed(2), Cut()
    )
    await print_document(runtime, document, kind="council_slip")
    return shown
