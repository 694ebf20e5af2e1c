"""Volunteers and emergency mode at the kiosk (the kiosk's journeys call these; every call that is
about a person carries the ``session_id`` of an identified session: POST /api/sessions, then the
ID card or POST /api/sessions/{id}/identify with the resident QR).

Volunteers (平时):
    GET  /api/volunteers/options          duty kinds (巡查 调解 值守 活动), task groups, closing hour
    POST /api/volunteers/me               {session_id}: the volunteer's entry and open duty
    POST /api/volunteers/sign-in          {session_id, kind, print}: begin a duty; slip lines
    POST /api/volunteers/sign-out         {session_id, print}: end it; slip with times and hours
    POST /api/volunteers/hours            {session_id, month?, print}: own record of hours (slip)
    POST /api/neighbour-group             {session_id}: the 邻里一家亲 group QR of the resident's building
Emergency mode (战时) — works offline:
    GET  /api/emergency                   banner and home screen: active areas, message, notices (each with
                                          has_image, and image: its path), hotline, need kinds, urgencies,
                                          task groups
    GET  /api/emergency/areas/{id}/notices/{n}/image   a notice's picture (image/jpeg)
    POST /api/emergency/needs             {session_id, idempotency_key, kind, urgency, phone, phrases, print}
    POST /api/emergency/needs/mine        {session_id}: the household's needs and their status (已接单/已送达)
    POST /api/emergency/hotline           {print}: the hotline (紧急求助), printed when asked
    POST /api/emergency/checkins          {session_id, task_group?}: a volunteer checks in to a task group

Errors are JSON ``{code, message: {zh, en}}``: volunteer.not_registered, volunteer.unknown_duty,
volunteer.already_on_duty, volunteer.not_on_duty, emergency.not_active, emergency.no_notice_image,
need.no_household, need.bad_kind, need.idempotency_conflict, ticket.bad_phone, group.none, session.*,
printer.*.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Response
from pydantic import BaseModel, Field
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from backend.shared import localtime
from backend.shared.errors import AppError, define
from backend.shared.volunteers.config import VolunteerConfig, load_volunteer_config
from backend.shared.volunteers.messages import EmergencyArea
from backend.shared.volunteers.notice_image import described, image_of
from backend.shared.volunteers.slips import duty_slip, hours_slip, need_slip
from devices.printer.document import Cut, Document, Separator, Text, Title

from ...db.models import OutboxEvent
from ...db.volunteer_models import LocalDuty, LocalNeed
from ...runtime import StationRuntime
from ...services import emergency_desk, volunteers
from ..deps import RuntimeDep
from ..printing import print_document
from ..residents import identified

router = APIRouter(tags=["volunteers"])
NO_GROUP = define(
    "group.none", 404, "您所在的楼栋还没有邻里群二维码。", "Your building has no neighbour group QR yet."
)
NO_NOTICE_IMAGE = define(
    "emergency.no_notice_image", 404, "这条应急通知没有图片。", "This emergency notice has no picture."
)
SessionId = Field(min_length=8, max_length=64)


def _config() -> VolunteerConfig:
    return load_volunteer_config()



async def _print(runtime: StationRuntime, lines: list[str], kind: str) -> None:
    document = Document.of(Title(lines[0]), Separator(), *[Text(line) for line in lines[1:]], Cut())
    await print_document(runtime, document, kind=kind)


def _duty_view(duty: LocalDuty, config: VolunteerConfig) -> dict[str, Any]:
    kind = config.duty(duty.kind)
    return {
        "id": duty.id,
        "kind": duty.kind,
        "kind_name": kind.as_dict() if kind else {},
        "started_at": duty.started_at.isoformat(),
        "ended_at": duty.ended_at.isoformat() if duty.ended_at else None,
        "minutes": duty.minutes,
        "hours": round(duty.minutes / 60, 1),
        "forgotten": duty.forgotten,
        "slip": duty_slip(
            config=config,
            name=duty.name,
            kind=duty.kind,
            started_at=duty.started_at,
            ended_at=duty.ended_at,
            minutes=duty.minutes,
            forgotten=duty.forgotten,
        ),
    }


class SessionBody(BaseModel):
    session_id: str = SessionId


class PrintBody(SessionBody):
    print: bool = Field(False, description="print the slip on the kiosk's printer too")


class SignInBody(PrintBody):
    kind: str = Field(max_length=32, description="a duty kind from /api/volunteers/options")


class HoursBody(PrintBody):
    month: str = Field(
        "", pattern=r"^(\d{4}-(0[1-9]|1[0-2]))?$", description="YYYY-MM; this month by default"
    )


@router.get("/api/volunteers/options")
def options() -> dict[str, Any]:
    """Duty kinds, task groups and the hour a forgotten duty is closed at."""
    config = _config()
    return {
        "duties": [{"code": d.code, "name": d.as_dict()} for d in config.duties],
        "task_groups": [{"code": g.code, "name": g.as_dict()} for g in config.task_groups],
        "auto_close_hour": config.auto_close_hour,
    }


@router.post("/api/volunteers/me")
def me(body: SessionBody, runtime: RuntimeDep) -> dict[str, Any]:
    """The identified volunteer (masked), their open duty if any (forgotten ones closed first)."""
    identity, config = identified(runtime, body.session_id), _config()
    volunteers.close_forgotten(runtime.db, config=config, now=runtime.clock.now())
    with runtime.db() as session:
        entry = volunteers.volunteer_of(session, identity)
        duty = volunteers.open_duty(session, identity.id_hash)
        return {
            "volunteer": entry.model_dump(exclude={"id_hash"}),
            "open_duty": _duty_view(duty, config) if duty else None,
        }


@router.post("/api/volunteers/sign-in", status_code=201)
async def sign_in(body: SignInBody, runtime: RuntimeDep) -> dict[str, Any]:
    """Sign in to a duty; the slip shows the duty and the local time."""
    identity, config = identified(runtime, body.session_id), _config()
    duty = await run_in_threadpool(
        volunteers.sign_in,
        runtime.db,
        identity=identity,
        kind=body.kind,
        config=config,
        now=runtime.clock.now(),
    )
    view = _duty_view(duty, config)
    if body.print:
        await _print(runtime, view["slip"], "duty_slip")
    return view


@router.post("/api/volunteers/sign-out")
async def sign_out(body: PrintBody, runtime: RuntimeDep) -> dict[str, Any]:
    """Sign out of the open duty; the slip shows the duty, both times and the hours."""
    identity, config = identified(runtime, body.session_id), _config()
    duty = await run_in_threadpool(
        volunteers.sign_out, runtime.db, identity=identity, config=config, now=runtime.clock.now()
    )
    view = _duty_view(duty, config)
    if body.print:
        await _print(runtime, view["slip"], "duty_slip")
    return view


@router.post("/api/volunteers/hours")
async def own_hours(body: HoursBody, runtime: RuntimeDep) -> dict[str, Any]:
    """The volunteer's own record of hours at this station for a month, as slip lines."""
    identity, config = identified(runtime, body.session_id), _config()
    month = body.month or localtime.local_date(runtime.clock.now()).strftime("%Y-%m")
    volunteers.close_forgotten(runtime.db, config=config, now=runtime.clock.now())
    with runtime.db() as session:
        entry = volunteers.volunteer_of(session, identity)
        duties = volunteers.month_duties(session, identity.id_hash, month)
    lines = hours_slip(
        config=config,
        name=entry.name,
        month=month,
        duties=[(d.kind, d.started_at, d.ended_at, d.minutes, d.forgotten) for d in duties],
    )
    if body.print:
        await _print(runtime, lines, "hours_slip")
    total = sum(d.minutes for d in duties)
    return {
        "month": month,
        "duties": [_duty_view(d, config) for d in duties],
        "minutes": total,
        "hours": round(total / 60, 1),
        "slip": lines,
    }


@router.post("/api/neighbour-group")
def neighbour_group(body: SessionBody, runtime: RuntimeDep) -> dict[str, Any]:
    """The 邻里一家亲 group QR of the identified resident's building (the kiosk draws the QR)."""
    identity = identified(runtime, body.session_id)
    with runtime.db() as session:
        resident = emergency_desk.resident_place(session, identity)
        group = emergency_desk.group_for(session, resident.building) if resident else None
    if group is None:
        raise AppError(NO_GROUP)
    return {"building": group.building, "name": group.name, "qr_text": group.qr_text}


# ---- emergency mode --------------------------------------------------------------------------------


@router.get("/api/emergency")
def emergency_status(runtime: RuntimeDep) -> dict[str, Any]:
    """Whether any area of the community is in emergency mode: banner, notices, hotline, choices."""
    config = _config()
    with runtime.db() as session:
        areas = emergency_desk.active_areas(session)
    return {
        "active": bool(areas),
        "areas": [_area_view(a) for a in areas],
        "hotline": areas[0].hotline if areas and areas[0].hotline else config.hotline,
        "need_kinds": [{"code": n.code, "name": n.as_dict()} for n in config.needs],
        "urgencies": [{"code": u.code, "name": u.as_dict()} for u in config.urgencies],
        "task_groups": [{"code": g.code, "name": g.as_dict()} for g in config.task_groups],
    }


def _area_view(area: EmergencyArea) -> dict[str, Any]:
    """The area for the kiosk: each notice's words, ``has_image`` and where its picture is."""
    notices = [
        described(n) | ({"image": f"/api/emergency/areas/{area.id}/notices/{i}/image"} if image_of(n) else {})
        for i, n in enumerate(area.notices)
    ]
    return area.model_dump(mode="json") | {"notices": notices}


@router.get("/api/emergency/areas/{area_id}/notices/{index}/image", response_class=Response,
            responses={200: {"content": {"image/jpeg": {}}}})
def notice_image(area_id: Annotated[str, Path(max_length=64)], index: Annotated[int, Path(ge=0, lt=100)],
                 runtime: RuntimeDep) -> Response:
    """An active emergency notice's picture (JPEG, at most 1024 px, no metadata) — the kiosk may
    reach loopback only, so the picture came with the emergency's change from the platform."""
    with runtime.db() as session:
        area = next((a for a in emergency_desk.active_areas(session) if a.id == area_id), None)
    notices = area.notices if area is not None else []
    data = image_of(notices[index]) if 0 <= index < len(notices) else None
    if data is None:
        raise AppError(NO_NOTICE_IMAGE, detail=f"{area_id[:36]}/{index}")
    return Response(data, media_type="image/jpeg", headers={"Cache-Control": "no-store"})


class NeedBody(PrintBody):
    idempotency_key: str = Field(
        pattern=r"^[A-Za-z0-9_-]{8,80}$", description="made by the kiosk; a retry returns the same need"
    )
    kind: str = Field(max_length=32)
    urgency: str = Field(max_length=16)
    phone: str = Field(max_length=32, description="mobile or landline, sealed to the platform here")
    phrases: list[str] = Field(default_factory=list, max_length=12)


def _sent(runtime: StationRuntime, need_no: str) -> bool:
    with runtime.db() as session:
        return (
            session.scalar(select(OutboxEvent.sent_at).where(OutboxEvent.aggregate_id == need_no)) is not None
        )


@router.post("/api/emergency/needs", status_code=201)
async def register_need(body: NeedBody, runtime: RuntimeDep) -> dict[str, Any]:
    """物资需求登记: a household registers a need (offline too); the slip gives the number and hotline."""
    identity, config = identified(runtime, body.session_id), _config()
    draft = emergency_desk.NeedDraft(
        kind=body.kind,
        urgency=body.urgency,
        phone=body.phone,
        idempotency_key=body.idempotency_key,
        phrases=tuple(body.phrases),
    )
    need = await run_in_threadpool(
        emergency_desk.register_need,
        runtime.db,
        identity=identity,
        draft=draft,
        sealer=runtime.keys.contact_sealer(),
        station_code=runtime.station_code,
        config=config,
        now=runtime.clock.now(),
    )
    sent = _sent(runtime, need.need_no)
    lines = need_slip(
        config=config,
        need_no=need.need_no,
        kind=need.kind,
        urgency=need.urgency,
        building=need.building,
        unit=need.unit,
        submitted_at=need.submitted_at,
        offline=not sent,
    )
    if body.print:
        await _print(runtime, lines, "need_slip")
    with runtime.db() as session:
        return emergency_desk.need_view(session, need, config, sent=sent) | {"slip": lines}


@router.post("/api/emergency/needs/mine")
def my_needs(body: SessionBody, runtime: RuntimeDep) -> list[dict[str, Any]]:
    """The identified household's needs registered here, with the platform's status."""
    identity, config = identified(runtime, body.session_id), _config()
    with runtime.db() as session:
        found: list[LocalNeed] = emergency_desk.needs_of(session, identity.id_hash)
        return [emergency_desk.need_view(session, n, config, sent=_sent(runtime, n.need_no)) for n in found]


class HotlineBody(BaseModel):
    print: bool = False


@router.post("/api/emergency/hotline")
async def hotline(body: HotlineBody, runtime: RuntimeDep) -> dict[str, Any]:
    """紧急求助: the hotline to call, printed on a slip when asked."""
    number = emergency_status(runtime)["hotline"]
    lines = ["紧急求助", f"求助热线：{number}", "Emergency hotline: " + number]
    if body.print:
        await _print(runtime, lines, "hotline_slip")
    return {"hotline": number, "slip": lines}


class CheckinBody(SessionBody):
    task_group: str = Field("", max_length=32, description="a task group; empty: the volunteer's own")


@router.post("/api/emergency/checkins", status_code=201)
async def check_in(body: CheckinBody, runtime: RuntimeDep) -> dict[str, Any]:
    """A volunteer scans in to the command structure and is given a task group."""
    identity, config = identified(runtime, body.session_id), _config()
    checkin, area = await run_in_threadpool(
        emergency_desk.check_in,
        runtime.db,
        identity=identity,
        group=body.task_group,
        config=config,
        now=runtime.clock.now(),
    )
    group = config.group(checkin.task_group)
    return {
        "id": checkin.id,
        "task_group": checkin.task_group,
        "group_name": group.as_dict() if group else {},
        "area": area,
        "at": checkin.at.isoformat(),
    }
