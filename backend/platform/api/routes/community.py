"""Community life for staff: publish activities and follow their sign-ups (check tickets in from
the staff phone page), import compounds' ledgers, run the council, decide organisations' filings.
Everything is limited to the user's area and audited."""

from __future__ import annotations

import base64
import binascii
import csv
import io
from datetime import datetime
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response
from pydantic import BaseModel, Field

from backend.shared import localtime
from backend.shared.community.activity_ticket import read_ticket
from backend.shared.community.errors import BAD_ACTIVITY, UNKNOWN_COMPOUND
from backend.shared.community.messages import Audience
from backend.shared.errors import VALIDATION, AppError
from backend.shared.tokens import import_jwks

from ...db.community_models import Signup
from ...db.session import write_transaction
from ...services import audit
from ...services.community import activities
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


def require_area(visible: VisibilityDep, community_code: str) -> None:
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
    require_area(visible, body.community_code)
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
