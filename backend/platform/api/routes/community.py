"""Community life for staff: publish activities and follow their sign-ups (check tickets in from
the staff phone page), import compounds' ledgers, run the council, decide organisations' filings.
Everything is limited to the user's area and audited."""

from __future__ import annotations

import base64
import binascii
import csv
import io
from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from backend.shared import localtime
from backend.shared.community.activity_ticket import read_ticket
from backend.shared.community.compounds import compound as find_compound
from backend.shared.community.compounds import compounds_of
from backend.shared.community.errors import BAD_ACTIVITY, UNKNOWN_COMPOUND
from backend.shared.community.messages import Audience
from backend.shared.errors import VALIDATION, AppError
from backend.shared.tokens import import_jwks

from ...db.community_models import Signup
from ...db.session import write_transaction
from ...runtime import PlatformRuntime
from ...services import audit
from ...services.community import accounts, activities, council, organisations
from ...services.stations import trust_jwks
from ..deps import RuntimeDep, VisibilityDep

router = APIRouter(prefix="/api/staff", tags=["community"])
MAX_LEDGER = 5 * 1024 * 1024
MAX_IMAGE = 300_000
PERMISSION = "applications"  # the community's staff, who decide residents' applications


class ActivityBody(BaseModel):
    community_code: str = Field(max_length=32)
    title: str = Field(min_length=1, max_length=64)
    description: str = Field("", max_length=2000)
    place: str = Field(min_length=1, max_length=128)
    starts_at: datetime = Field(description="local time in the station zone unless an offset is given")
    ends_at: datetime
    capacity: int = Field(ge=1, le=100_000)
    signup_opens_at: datetime
    signup_closes_at: datetime
    audience: Audience = Field(default_factory=Audience)
    image_jpeg_base64: str | None = Field(None, max_length=MAX_IMAGE * 4 // 3 + 8)
    organisation_id: str | None = Field(None, max_length=40)


class TokenBody(BaseModel):
    token: str = Field(min_length=4, max_length=4096)


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


def _area(visible: VisibilityDep, community_code: str) -> None:
    visible.staff.require(PERMISSION)
    if community_code not in visible.communities:
        raise AppError(UNKNOWN_COMPOUND, detail=community_code)


def local(moment: datetime) -> datetime:
    """A time typed without an offset is the station zone's wall time."""
    return moment if moment.tzinfo else moment.replace(tzinfo=localtime.zone())


# ---- activities --------------------------------------------------------------------------------------


@router.post("/activities", status_code=201)
def publish_activity(body: ActivityBody, visible: VisibilityDep, runtime: RuntimeDep) -> dict[str, Any]:
    """Publish an activity to the community's kiosks (and every station, to check its tickets in)."""
    _area(visible, body.community_code)
    now = runtime.clock.now()
    new = activities.NewActivity(
        community_code=body.community_code,
        title=body.title.strip(),
        description=body.description.strip(),
        place=body.place.strip(),
        starts_at=local(body.starts_at),
        ends_at=local(body.ends_at),
        capacity=body.capacity,
        signup_opens_at=local(body.signup_opens_at),
        signup_closes_at=local(body.signup_closes_at),
        audience=body.audience,
        image=_image(body.image_jpeg_base64),
        organisation_id=body.organisation_id or None,
    )
    with write_transaction(runtime.db) as session:
        activity = activities.publish_activity(session, new=new, by=visible.staff.username, now=now)
        audit.record(
            session,
            actor=visible.staff.username,
            action="activity.publish",
            target=f"activity:{activity.id}",
            at=now,
            detail={"title": activity.title},
        )
        return activities.view(session, activity)


def _image(text: str | None) -> bytes | None:
    if not text:
        return None
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as err:
        raise AppError(BAD_ACTIVITY, detail="image") from err


@router.get("/activities")
def list_activities(visible: VisibilityDep, runtime: RuntimeDep) -> list[dict[str, Any]]:
    """The area's activities, the latest first, with their places taken and waiting."""
    visible.staff.require(PERMISSION)
    with runtime.db() as session:
        return [activities.view(session, a) for a in activities.listed(session, visible.communities)]


@router.get("/activities/{activity_id}")
def get_activity(activity_id: str, visible: VisibilityDep, runtime: RuntimeDep) -> dict[str, Any]:
    """An activity with its sign-ups: confirmed, waiting (in order), checked in, no-shows."""
    visible.staff.require(PERMISSION)
    with runtime.db() as session:
        activity = activities.get_activity(session, activity_id, visible.communities)
        return activities.view(session, activity) | {
            "signups": activities.roster(session, activity, now=runtime.clock.now())
        }


@router.post("/activities/{activity_id}/cancel")
def cancel_activity(activity_id: str, visible: VisibilityDep, runtime: RuntimeDep) -> dict[str, Any]:
    """Cancel an activity: kiosks stop offering it."""
    visible.staff.require(PERMISSION)
    now = runtime.clock.now()
    with write_transaction(runtime.db) as session:
        activity = activities.get_activity(session, activity_id, visible.communities)
        activities.cancel_activity(session, activity=activity, now=now)
        audit.record(
            session,
            actor=visible.staff.username,
            action="activity.cancel",
            target=f"activity:{activity_id}",
            at=now,
        )
        return activities.view(session, activity)


@router.get("/activities/{activity_id}/export.csv")
def export_signups(activity_id: str, visible: VisibilityDep, runtime: RuntimeDep) -> Response:
    """The sign-ups, attendance and no-shows as CSV (masked names and numbers only)."""
    found = get_activity(activity_id, visible, runtime)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "姓名 name",
            "身份证号 ID (masked)",
            "状态 state",
            "候补 position",
            "报名 signed up",
            "签到 checked in",
            "签到处 where",
        ]
    )
    for s in found["signups"]:
        writer.writerow(
            [
                s["name_masked"],
                s["id_masked"],
                s["state"],
                s["position"] or "",
                _local_text(s["made_at"]),
                _local_text(s["checked_in_at"]),
                s["checked_in_via"],
            ]
        )
    with write_transaction(runtime.db) as session:
        audit.record(
            session,
            actor=visible.staff.username,
            action="activity.export",
            target=f"activity:{activity_id}",
            at=runtime.clock.now(),
        )
    return Response(
        "\ufeff" + out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="activity-{activity_id[:8]}.csv"'},
    )


def _local_text(value: str | None) -> str:
    return localtime.local_text(datetime.fromisoformat(value)) if value else ""


@router.post("/signups/checkin")
def check_in(body: TokenBody, visible: VisibilityDep, runtime: RuntimeDep) -> dict[str, Any]:
    """Check a scanned ticket in on the staff phone page: the signature (any station's key), then
    the sign-up's state — once per ticket."""
    visible.staff.require(PERMISSION)
    now = runtime.clock.now()
    with write_transaction(runtime.db) as session:
        ticket = read_ticket(body.token, keys=import_jwks(trust_jwks(session)), now=now)
        activity = activities.get_activity(session, ticket.activity_id, visible.communities)
        signup = activities.check_in(
            session,
            signup_id=ticket.signup_id,
            activity_id=activity.id,
            via=f"staff:{visible.staff.username}",
            at=now,
            now=now,
        )
        audit.record(
            session,
            actor=visible.staff.username,
            action="activity.checkin",
            target=f"signup:{signup.id}",
            at=now,
        )
        return {
            "signup_id": signup.id,
            "state": signup.state,
            "name_masked": signup.name_masked,
            "activity": activity.title,
        }


@router.post("/signups/{signup_id}/cancel")
def cancel_signup(signup_id: str, visible: VisibilityDep, runtime: RuntimeDep) -> dict[str, Any]:
    """Cancel a sign-up for the resident (its ticket stops checking in; the first waiting moves up)."""
    visible.staff.require(PERMISSION)
    now = runtime.clock.now()
    with write_transaction(runtime.db) as session:
        signup = session.get(Signup, signup_id)
        if signup is None or signup.community_code not in visible.communities:
            raise AppError(VALIDATION, detail="signup")
        activities.cancel_signup(session, signup=signup, now=now)
        audit.record(
            session,
            actor=visible.staff.username,
            action="signup.cancel",
            target=f"signup:{signup_id}",
            at=now,
        )
        return {"signup_id": signup.id, "state": signup.state}


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
    _area(visible, find_compound(compound_code).community_code)
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
    _area(visible, compound.community_code)
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
    _area(visible, find_compound(compound_code).community_code)
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
    _area(visible, find_compound(body.compound).community_code)
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
