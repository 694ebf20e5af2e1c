"""Community activities at the kiosk (报名, 签到; the home screen lists them; all work offline).
Calls that concern the resident carry the ``session_id`` of an identified session (POST
/api/sessions, then the ID card or resident QR).

    GET  /api/activities                          upcoming in this community: places left, full, open
    GET  /api/activities/{id}                     one activity;  GET /api/activities/{id}/image (JPEG)
    POST /api/activities/{id}/signups             {session_id, idempotency_key} → 201 sign-up
                                                  (state confirmed | waiting) and ticket_token (QR)
    POST /api/activities/signups/{id}/slip        {session_id}: print the slip with the ticket QR
    GET  /api/activities/signups?session_id=      the resident's sign-ups and moves up
    POST /api/activities/signups/{id}/cancel      {session_id}: cancel (the ticket stops working)
    POST /api/activities/checkin                  {token}: the scanned ticket, once per ticket
Moves up from the waiting list also appear in the session's ``outcomes`` when the resident identifies.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from backend.shared.community.errors import SIGNUP_NOT_FOUND
from backend.shared.errors import AppError
from backend.shared.localtime import local_text
from devices.printer.document import Cut, Document, Feed, Qr, Separator, Text, Title

from ...db.community_models import LocalActivity, LocalSignup
from ...runtime import StationRuntime
from ...services import activity_tickets
from ...services import community_activities as activities
from ..deps import RuntimeDep
from ..printing import print_document
from ..residents import identified
from .community_common import SessionBody, wake

router = APIRouter(tags=["community"])


class SignupBody(SessionBody):
    idempotency_key: str = Field(
        pattern=r"^[A-Za-z0-9_-]{8,80}$",
        description="made by the kiosk per sign-up; a retry returns the same one",
    )


class TokenBody(BaseModel):
    token: str = Field(min_length=4, max_length=4096, description="the activity ticket's QR as scanned")


def _desk(runtime: StationRuntime) -> activities.Desk:
    return activities.Desk(runtime.community.code, runtime.keys.signer, runtime.keys.protector)


@router.get("/api/activities")
def upcoming(runtime: RuntimeDep) -> list[dict[str, Any]]:
    """The community's upcoming activities, soonest first (offline: as last published)."""
    with runtime.db() as session:
        return activities.upcoming(session, community_code=runtime.community.code, now=runtime.clock.now())


@router.get("/api/activities/signups")
def my_signups(
    runtime: RuntimeDep, session_id: str = Query(min_length=8, max_length=64)
) -> list[dict[str, Any]]:
    """The identified resident's sign-ups (confirmed, waiting with their position, cancelled)."""
    identity = identified(runtime, session_id)
    with runtime.db() as session:
        return activities.mine(session, identity, now=runtime.clock.now())


@router.get("/api/activities/{activity_id}")
def activity(activity_id: str, runtime: RuntimeDep) -> dict[str, Any]:
    """One activity with its description, places left and sign-up window."""
    with runtime.db() as session:
        row = activities.get_activity(session, activity_id, runtime.community.code)
        return activities.view(session, row, now=runtime.clock.now())


@router.get("/api/activities/{activity_id}/image")
def activity_image(activity_id: str, runtime: RuntimeDep) -> Response:
    """The activity's picture (JPEG)."""
    with runtime.db() as session:
        row = activities.get_activity(session, activity_id)
        if row.image is None:
            raise AppError(SIGNUP_NOT_FOUND, detail="no image")
        return Response(row.image, media_type="image/jpeg")


@router.post("/api/activities/{activity_id}/signups", status_code=201)
def sign_up(activity_id: str, body: SignupBody, runtime: RuntimeDep) -> dict[str, Any]:
    """Sign the identified resident up: a place, or the waiting list when full (``state``). Works
    offline; the platform's decision follows. Returns the sign-up with ``ticket_token`` (the QR)."""
    identity = identified(runtime, body.session_id)
    now = runtime.clock.now()
    signup, shown = activities.sign_up(
        runtime.db,
        desk=_desk(runtime),
        identity=identity,
        activity_id=activity_id,
        idempotency_key=body.idempotency_key,
        now=now,
    )
    wake(runtime)
    with runtime.db() as session:
        row = activities.get_activity(session, signup.activity_id)
        token = activity_tickets.ticket_of(signup, row, signer=runtime.keys.signer, now=now)
        return activities.signup_view(signup, row) | {"activity": shown, "ticket_token": token}


@router.post("/api/activities/signups/{signup_id}/slip")
async def print_signup_slip(signup_id: str, body: SessionBody, runtime: RuntimeDep) -> dict[str, Any]:
    """Print the sign-up slip: the activity, when and where, the state, and the ticket QR."""
    identity = identified(runtime, body.session_id)
    now = runtime.clock.now()
    with runtime.db() as session:
        signup = session.get(LocalSignup, signup_id)
        if signup is None or signup.owner_hash != identity.id_hash or signup.state == "cancelled":
            raise AppError(SIGNUP_NOT_FOUND)
        row = activities.get_activity(session, signup.activity_id)
        token = activity_tickets.ticket_of(signup, row, signer=runtime.keys.signer, now=now)
        shown = activities.signup_view(signup, row)
    document = _slip(shown, row, token, runtime.settings.station_name_zh)
    await print_document(runtime, document, kind="activity_slip")
    return shown


def _slip(shown: dict[str, Any], row: LocalActivity, token: str, station_name: str) -> Document:
    state = {
        "confirmed": "报名成功 Signed up",
        "waiting": f"候补第{shown['position'] or '?'}位 Waiting list",
        "checked_in": "已签到 Checked in",
    }.get(shown["state"], shown["state"])
    return Document.of(
        Title("活动报名凭条"),
        Text("Activity sign-up slip", align="center"),
        Separator(),
        Text(row.payload["title"], bold=True),
        Text(f"时间：{local_text(row.starts_at)}"),
        Text(f"地点：{row.payload['place']}"),
        Text(f"状态：{state}", bold=True),
        Separator(),
        Text("活动现场请出示此码签到，每张票只能签到一次。"),
        Text("Show this code at the event to check in; it works once."),
        Feed(1),
        Qr(token, ec="Q"),
        Text(station_name, align="center"),
        Feed(2),
        Cut(),
    )


@router.post("/api/activities/signups/{signup_id}/cancel")
def cancel_signup(signup_id: str, body: SessionBody, runtime: RuntimeDep) -> dict[str, Any]:
    """Cancel the resident's sign-up: its ticket no longer checks in; the first waiting moves up."""
    identity = identified(runtime, body.session_id)
    signup = activities.cancel(runtime.db, identity=identity, signup_id=signup_id, now=runtime.clock.now())
    wake(runtime)
    return {"id": signup.id, "state": signup.state}


@router.post("/api/activities/checkin")
def check_in(body: TokenBody, runtime: RuntimeDep) -> dict[str, Any]:
    """Check a scanned ticket in (any station's, offline too): once per ticket."""
    result = activity_tickets.check_in(
        runtime.db, token=body.token, keys=runtime.trust(), now=runtime.token_clock.now()
    )
    wake(runtime)
    return result
