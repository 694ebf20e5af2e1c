"""The staff API of compound governance: compounds' open ledgers (信酬制), the council (议事堂) and
grassroots organisations' filings. Activities and sign-ups are in ``community``."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Response, UploadFile
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from backend.shared.community.compounds import compound as find_compound
from backend.shared.community.compounds import compounds_of
from backend.shared.errors import NOT_FOUND, VALIDATION, AppError

from ...db.session import write_transaction
from ...runtime import PlatformRuntime
from ...services import audit
from ...services.community import accounts, council, organisations
from ..deps import RuntimeDep, VisibilityDep
from .community import MAX_LEDGER, PERMISSION, local, require_area

router = APIRouter(prefix="/api/staff", tags=["community"])


class ProposalDecision(BaseModel):
    accepted: bool
    decision: str = Field(min_length=1, max_length=2000)


class MeetingBody(BaseModel):
    compound: str = Field(max_length=32)
    held_at: datetime
    place: str = Field(min_length=1, max_length=128)
    proposal_ids: list[str] = Field(default_factory=list, max_length=50)


class OrganisationDecision(BaseModel):
    decision: Literal["approve", "more_info", "refuse"]
    reason: str = Field("", max_length=255)
    how_to_join: str = Field("", max_length=255)


# ---- open property accounts --------------------------------------------------------------------------


@router.get("/compounds")
def list_compounds(visible: VisibilityDep) -> list[dict[str, Any]]:
    """The compounds of the user's area."""
    visible.staff.require(PERMISSION)
    return [c.public() for code in visible.communities for c in compounds_of(code)]


@router.post("/accounts/{compound_code}/{month}", status_code=201)
async def import_ledger(
    compound_code: str, month: str, file: UploadFile, visible: VisibilityDep, runtime: RuntimeDep
) -> dict[str, Any]:
    """Import a month's ledger (CSV or XLSX): all rows or none, with a report of every bad row."""
    if not _is_month(month):
        raise AppError(VALIDATION, detail="month")
    require_area(visible, find_compound(compound_code).community_code)
    data = await file.read(MAX_LEDGER + 1)
    if len(data) > MAX_LEDGER:
        raise AppError(VALIDATION, detail="file larger than 5 MB")
    return await run_in_threadpool(
        _import, runtime, visible, compound_code, month, data, file.filename or "ledger.csv"
    )


def _is_month(text: str) -> bool:
    try:
        datetime.strptime(text, "%Y-%m")
    except ValueError:
        return False
    return len(text) == 7


def _import(
    runtime: PlatformRuntime, visible: VisibilityDep, compound_code: str, month: str, data: bytes, name: str
) -> dict[str, Any]:
    now = runtime.clock.now()
    with write_transaction(runtime.db) as session:
        report = accounts.import_ledger(
            session,
            compound_code=compound_code,
            month=month,
            data=data,
            filename=name,
            by=visible.staff.username,
            now=now,
            communities=visible.communities,
        )
        audit.record(
            session,
            actor=visible.staff.username,
            action="accounts.import",
            target=f"compound:{compound_code}",
            at=now,
            detail={"month": month, "file": name[:64], "rows": report["imported"]},
        )
        return report


@router.get("/accounts/{compound_code}")
def compound_accounts(compound_code: str, visible: VisibilityDep, runtime: RuntimeDep) -> dict[str, Any]:
    """A compound's published months with their figures, and every import (who, when)."""
    compound = find_compound(compound_code)
    require_area(visible, compound.community_code)
    with runtime.db() as session:
        return {
            "compound": compound.public(),
            "months": accounts.months(session, compound.code),
            "imports": accounts.imports(session, compound.code),
        }


@router.get("/accounts/{compound_code}/{month}")
def accounts_month(
    compound_code: str, month: str, visible: VisibilityDep, runtime: RuntimeDep
) -> dict[str, Any]:
    """A published month: every entry (corrections beside what they correct)."""
    require_area(visible, find_compound(compound_code).community_code)
    with runtime.db() as session:
        return accounts.month_document(
            session, compound_code=compound_code, month=month, now=runtime.clock.now()
        )


# ---- council ------------------------------------------------------------------------------------------


@router.get("/proposals")
def list_proposals(visible: VisibilityDep, runtime: RuntimeDep) -> list[dict[str, Any]]:
    """The area's council proposals, newest first, with their support and state."""
    visible.staff.require(PERMISSION)
    with runtime.db() as session:
        return [council.view(session, p) for p in council.listed(session, visible.communities)]


@router.get("/proposals/{proposal_id}/photo", response_class=Response)
def proposal_photo(proposal_id: str, visible: VisibilityDep, runtime: RuntimeDep) -> Response:
    """The photo taken at the kiosk with a proposal of the user's area (JPEG), as a ticket's."""
    visible.staff.require(PERMISSION)
    with runtime.db() as session:
        photo = council.get_proposal(session, proposal_id, visible.communities).photo
    if photo is None:
        raise AppError(NOT_FOUND, detail="this proposal has no photo")
    return Response(photo, media_type="image/jpeg", headers={"Cache-Control": "private, no-store"})


@router.post("/proposals/{proposal_id}/decision")
def decide_proposal(
    proposal_id: str, body: ProposalDecision, visible: VisibilityDep, runtime: RuntimeDep
) -> dict[str, Any]:
    """Record the council's decision (shown and printable at the kiosk)."""
    visible.staff.require(PERMISSION)
    now = runtime.clock.now()
    with write_transaction(runtime.db) as session:
        proposal = council.get_proposal(session, proposal_id, visible.communities)
        council.decide(
            session,
            proposal=proposal,
            decision=body.decision,
            accepted=body.accepted,
            by=visible.staff.username,
            now=now,
        )
        audit.record(
            session,
            actor=visible.staff.username,
            action="council.decide",
            target=f"proposal:{proposal_id}",
            at=now,
            detail={"accepted": body.accepted},
        )
        return council.view(session, proposal)


@router.post("/council/meetings", status_code=201)
def schedule_meeting(body: MeetingBody, visible: VisibilityDep, runtime: RuntimeDep) -> dict[str, Any]:
    """Set a council meeting with the proposals on its agenda."""
    require_area(visible, find_compound(body.compound).community_code)
    now = runtime.clock.now()
    with write_transaction(runtime.db) as session:
        meeting = council.schedule(
            session,
            compound_code=body.compound,
            held_at=local(body.held_at),
            place=body.place,
            proposal_ids=body.proposal_ids,
            by=visible.staff.username,
            now=now,
        )
        audit.record(
            session,
            actor=visible.staff.username,
            action="council.meeting",
            target=f"compound:{body.compound}",
            at=now,
        )
        return {"id": meeting.id, "held_at": meeting.held_at.isoformat(), "place": meeting.place}


@router.get("/council/meetings")
def list_meetings(visible: VisibilityDep, runtime: RuntimeDep) -> list[dict[str, Any]]:
    """The area's council meetings with their agendas."""
    visible.staff.require(PERMISSION)
    with runtime.db() as session:
        return council.meetings(session, visible.communities)


# ---- organisations ---------------------------------------------------------------------------------------


@router.get("/organisations")
def list_organisations(
    visible: VisibilityDep,
    runtime: RuntimeDep,
    state: Literal["applied", "more_info", "approved", "refused", ""] = "",
) -> list[dict[str, Any]]:
    """The area's organisations' filings, newest first."""
    visible.staff.require(PERMISSION)
    with runtime.db() as session:
        return [
            organisations.view(o) for o in organisations.listed(session, visible.communities, state or None)
        ]


@router.post("/organisations/{organisation_id}/decision")
def decide_organisation(
    organisation_id: str, body: OrganisationDecision, visible: VisibilityDep, runtime: RuntimeDep
) -> dict[str, Any]:
    """Approve, ask for more, or refuse a filing (a reason unless approving)."""
    visible.staff.require(PERMISSION)
    now = runtime.clock.now()
    with write_transaction(runtime.db) as session:
        organisation = organisations.get_organisation(session, organisation_id, visible.communities)
        organisations.decide(
            session,
            organisation=organisation,
            decision=body.decision,
            reason=body.reason,
            how_to_join=body.how_to_join,
            by=visible.staff.username,
            now=now,
        )
        audit.record(
            session,
            actor=visible.staff.username,
            action="organisation.decide",
            target=f"organisation:{organisation_id}",
            at=now,
            detail={"decision": body.decision},
        )
        return organisations.view(organisation)
