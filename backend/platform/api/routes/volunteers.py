"""Volunteers and emergency mode for staff: the volunteer register (import CSV/XLSX whole or not at
all, add one by one), hours per month (JSON, CSV, XLSX), each building's 邻里一家亲 group QR,
switching an area into emergency mode and back, its command structure, needs (take, deliver) and
the after-action summary."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from backend.shared.api_params import RowId
from backend.shared.errors import FORBIDDEN, VALIDATION, AppError
from backend.shared.volunteers.config import load_volunteer_config
from backend.shared.volunteers.notice_image import image_of
from backend.shared.volunteers.register_file import (
    Problem,
    RejectedRow,
    VolunteerFile,
    parse_row,
    read_volunteers,
)

from ...db.session import write_transaction
from ...runtime import PlatformRuntime
from ...services import audit
from ...services.volunteers import emergency, groups, hours, needs, notice_image, register, views
from ...services.volunteers.errors import EMERGENCY_NOT_FOUND, VOLUNTEERS_REJECTED
from ..deps import RuntimeDep, Visibility, VisibilityDep

router = APIRouter(prefix="/api/staff", tags=["volunteers"])
MAX_FILE = 10 * 1024 * 1024
MAX_BODY = 1024 * 1024  # what the app takes for a JSON body (backend/platform/app.py)
Month = Annotated[str, Query(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
ModeId = Annotated[str, Path(min_length=36, max_length=36)]


def visible(user: Visibility, community_code: str, permission: str = "volunteers") -> None:
    user.staff.require(permission)
    if community_code not in user.communities:
        raise AppError(FORBIDDEN, detail=community_code)


@router.get("/communities/{community_code}/compounds")
def list_compounds(community_code: str, user: VisibilityDep, runtime: RuntimeDep) -> list[dict[str, Any]]:
    """The community's compounds (小区) and their buildings."""
    visible(user, community_code)
    with runtime.db() as session:
        return [
            {"code": c.code, "name": {"zh": c.name_zh, "en": c.name_en}, "buildings": list(c.buildings)}
            for c in register.compounds_of(session, community_code)
        ]


@router.get("/communities/{community_code}/volunteers")
def list_volunteers(community_code: str, user: VisibilityDep, runtime: RuntimeDep) -> list[dict[str, Any]]:
    """The volunteer register, masked."""
    visible(user, community_code)
    with runtime.db() as session:
        return register.listing(session, community_code)


@router.post("/communities/{community_code}/volunteers/import")
async def import_volunteers(
    community_code: str, file: UploadFile, user: VisibilityDep, runtime: RuntimeDep
) -> dict[str, Any]:
    """Import a volunteer register (CSV or XLSX): every row valid, or nothing changes and each bad
    row is listed (422 volunteers.rejected with ``rejected``: line, reason, column, message)."""
    visible(user, community_code)
    data = await file.read(MAX_FILE + 1)
    if len(data) > MAX_FILE:
        raise AppError(VALIDATION, detail="file larger than 10 MB")
    return await run_in_threadpool(
        _import, runtime, user, community_code, data, file.filename or "volunteers.csv"
    )


def _import(
    runtime: RuntimeDep, user: Visibility, community_code: str, data: bytes, name: str
) -> dict[str, Any]:
    now = runtime.clock.now()
    with runtime.db() as session:
        compounds = register.compound_buildings(session, community_code)
    parsed = read_volunteers(data, name, config=load_volunteer_config(), compounds=compounds)
    with write_transaction(runtime.db) as session:
        report = register.import_file(
            session,
            community_code=community_code,
            parsed=parsed,
            protector=runtime.community_protector(community_code),
            now=now,
        )
        audit.record(
            session,
            actor=user.staff.username,
            action="volunteers.import",
            target=f"community:{community_code}",
            at=now,
            detail={"file": name[:64], "added": report["added"], "updated": report["updated"]},
        )
    return report


class VolunteerBody(BaseModel):
    id_number: str = Field(min_length=15, max_length=18)
    name: str = Field(min_length=1, max_length=64)
    employer: str = Field(min_length=1, max_length=128)
    compound: str = Field(min_length=1, max_length=32)
    roles: str = Field("", max_length=64, description="codes or names joined by ; (红色队长;楼栋长)")
    leads: str = Field("", max_length=128, description="3 for building 3, 3-2 for its unit 2; joined by ;")
    task_group: str = Field("", max_length=32)


@router.post("/communities/{community_code}/volunteers", status_code=201)
def add_volunteer(
    community_code: str, body: VolunteerBody, user: VisibilityDep, runtime: RuntimeDep
) -> dict[str, Any]:
    """Add one volunteer (or update the one with that ID number)."""
    visible(user, community_code)
    now = runtime.clock.now()
    with write_transaction(runtime.db) as session:
        try:
            row = parse_row(
                body.model_dump(),
                config=load_volunteer_config(),
                compounds=register.compound_buildings(session, community_code),
            )
        except Problem as problem:
            bad = RejectedRow(1, problem.reason, problem.column)
            raise AppError(VOLUNTEERS_REJECTED, rejected=[bad.as_dict()], rejected_count=1) from None
        volunteer, _ = register.upsert(
            session,
            community_code=community_code,
            row=row,
            protector=runtime.community_protector(community_code),
            now=now,
        )
        audit.record(
            session,
            actor=user.staff.username,
            action="volunteers.add",
            target=f"volunteer:{volunteer.id}",
            at=now,
            detail={"name": volunteer.name},
        )
        return register.view(volunteer)


@router.post("/communities/{community_code}/volunteers/{volunteer_id}/active")
def set_active(
    community_code: str, volunteer_id: RowId, active: bool, user: VisibilityDep, runtime: RuntimeDep
) -> dict[str, Any]:
    """Take a volunteer off the register (``active=false``) or back on."""
    visible(user, community_code)
    now = runtime.clock.now()
    with write_transaction(runtime.db) as session:
        volunteer = register.set_active(
            session, community_code=community_code, volunteer_id=volunteer_id, active=active, now=now
        )
        audit.record(
            session,
            actor=user.staff.username,
            action="volunteers.active",
            target=f"volunteer:{volunteer.id}",
            at=now,
            detail={"active": active},
        )
        return register.view(volunteer)


@router.get("/communities/{community_code}/volunteer-hours", response_model=None)
def volunteer_hours(
    community_code: str,
    month: Month,
    user: VisibilityDep,
    runtime: RuntimeDep,
    by: Literal["person", "unit", "compound"] = "person",
    format: Literal["json", "csv", "xlsx"] = "json",
) -> list[dict[str, Any]] | Response:
    """Hours of the month's duties per person, employer unit or compound; as a file with ``format``."""
    visible(user, community_code)
    with runtime.db() as session:
        rows = hours.hours(session, community_code=community_code, month=month, by=by)
    if format == "json":
        return rows
    data, media = hours.export(rows, fmt=format)
    name = f"volunteer-hours-{community_code}-{month}-{by}.{format}"
    return Response(data, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})


class GroupBody(BaseModel):
    name: str = Field("", max_length=64)
    qr_text: str = Field("", max_length=512, description="what the group's QR code holds; empty withdraws it")


@router.get("/communities/{community_code}/neighbour-groups")
def list_groups(community_code: str, user: VisibilityDep, runtime: RuntimeDep) -> list[dict[str, Any]]:
    """Each building's 邻里一家亲 group."""
    visible(user, community_code)
    with runtime.db() as session:
        return groups.listing(session, community_code)


@router.put("/communities/{community_code}/neighbour-groups/{building}")
def set_group(
    community_code: str,
    building: Annotated[str, Path(max_length=16)],
    body: GroupBody,
    user: VisibilityDep,
    runtime: RuntimeDep,
) -> dict[str, Any]:
    """Set a building's group QR; it reaches the community's stations by the down-sync."""
    visible(user, community_code)
    now = runtime.clock.now()
    with write_transaction(runtime.db) as session:
        groups.set_group(
            session,
            community_code=community_code,
            building=building,
            name=body.name,
            qr_text=body.qr_text,
            actor=user.staff.username,
            now=now,
        )
        audit.record(
            session,
            actor=user.staff.username,
            action="volunteers.group",
            target=f"community:{community_code}",
            at=now,
            detail={"building": building},
        )
    return {"building": building, "name": body.name, "qr_text": body.qr_text}


# ---- emergency mode --------------------------------------------------------------------------------


class Notice(BaseModel):
    title: dict[str, str] = Field(default_factory=dict, max_length=2)
    body: dict[str, str] = Field(default_factory=dict, max_length=2)
    image_base64: str = Field(
        "",
        max_length=MAX_BODY,  # (too large a picture: emergency.bad_notice_image, not request.invalid)
        description="a JPEG or PNG (≤ 300 kB), base64: re-encoded as a JPEG without metadata; "
        "the whole request stays under 1 MiB",
    )

    def kept(self) -> dict[str, Any]:
        """The notice as the emergency keeps it (the picture checked: emergency.bad_notice_image)."""
        words = {"title": self.title, "body": self.body}
        upload = notice_image.decoded(self.image_base64) if self.image_base64 else None
        return notice_image.stored(words, upload)


class SwitchOn(BaseModel):
    community_code: str = Field(max_length=32)
    scope: Literal["community", "compound", "buildings"]
    compound_code: str = Field("", max_length=32)
    buildings: list[str] = Field(default_factory=list, max_length=200)
    reason: str = Field(min_length=1, max_length=255)
    message: dict[str, str] = Field(description="{zh, en}: the kiosk's banner", max_length=2)
    notices: list[Notice] = Field(default_factory=list, max_length=20)
    hotline: str = Field("", max_length=32)


class SwitchOff(BaseModel):
    reason: str = Field(min_length=1, max_length=255)


@router.post("/emergency", status_code=201)
def switch_on(body: SwitchOn, user: VisibilityDep, runtime: RuntimeDep) -> dict[str, Any]:
    """Switch an area into emergency mode (audited; the community's stations get it by the down-sync)."""
    visible(user, body.community_code, "emergency")
    switch = emergency.Switch(
        community_code=body.community_code,
        scope=body.scope,
        reason=body.reason,
        message=body.message,
        compound_code=body.compound_code,
        buildings=tuple(body.buildings),
        hotline=body.hotline,
        notices=[n.kept() for n in body.notices],
    )
    with write_transaction(runtime.db) as session:
        mode = emergency.switch_on(
            session,
            switch=switch,
            config=load_volunteer_config(),
            actor=user.staff.username,
            now=runtime.clock.now(),
        )
        return emergency.view(mode)


@router.post("/emergency/{mode_id}/end")
def switch_off(mode_id: ModeId, body: SwitchOff, user: VisibilityDep, runtime: RuntimeDep) -> dict[str, Any]:
    """Bring the area back to normal times; its records stay for the after-action report."""
    user.staff.require("emergency")
    with write_transaction(runtime.db) as session:
        mode = emergency.switch_off(
            session,
            mode_id=mode_id,
            communities=user.communities,
            actor=user.staff.username,
            reason=body.reason,
            now=runtime.clock.now(),
        )
        return emergency.view(mode)


@router.get("/emergency")
def list_emergencies(user: VisibilityDep, runtime: RuntimeDep) -> list[dict[str, Any]]:
    """Emergencies of the user's area, newest first (active ones have no ``ended_at``)."""
    user.staff.require("volunteers")
    with runtime.db() as session:
        return emergency.listing(session, user.communities)


@router.get("/emergency/{mode_id}/command")
def command_structure(mode_id: ModeId, user: VisibilityDep, runtime: RuntimeDep) -> dict[str, Any]:
    """The area's command structure: leaders, check-ins, open needs by building and urgency, times."""
    user.staff.require("volunteers")
    with runtime.db() as session:
        mode = emergency.get(session, mode_id, user.communities)
        return emergency.view(mode) | views.command_structure(session, mode, load_volunteer_config())


@router.get(
    "/emergency/{mode_id}/notices/{index}/image",
    response_class=Response,
    responses={200: {"content": {"image/jpeg": {}}}},
)
def notice_picture(
    mode_id: ModeId, index: Annotated[int, Path(ge=0, lt=20)], user: VisibilityDep, runtime: RuntimeDep
) -> Response:
    """A notice's picture as the kiosks show it (JPEG; emergency.not_found when it has none)."""
    user.staff.require("volunteers")
    with runtime.db() as session:
        notices = emergency.get(session, mode_id, user.communities).notices
    data = image_of(notices[index]) if 0 <= index < len(notices) else None
    if data is None:
        raise AppError(EMERGENCY_NOT_FOUND, detail=f"{mode_id}/{index}")
    return Response(data, media_type="image/jpeg", headers={"Cache-Control": "private, max-age=3600"})


@router.get("/emergency/{mode_id}/report")
def after_action(mode_id: ModeId, user: VisibilityDep, runtime: RuntimeDep) -> dict[str, Any]:
    """The after-action summary: needs by kind, times, volunteers and hours."""
    user.staff.require("volunteers")
    with runtime.db() as session:
        mode = emergency.get(session, mode_id, user.communities)
        return emergency.view(mode) | views.after_action(session, mode, load_volunteer_config())


@router.get("/needs/{need_no}")
def get_need(
    need_no: Annotated[str, Path(max_length=40)], user: VisibilityDep, runtime: RuntimeDep
) -> dict[str, Any]:
    """One need with its history."""
    user.staff.require("volunteers")
    with runtime.db() as session:
        return needs.view(needs.get(session, need_no, user.communities))


class StepBody(BaseModel):
    by: str = Field(min_length=1, max_length=64, description="who takes or delivered it")


@router.post("/needs/{need_no}/take")
def take_need(
    need_no: Annotated[str, Path(max_length=40)], body: StepBody, user: VisibilityDep, runtime: RuntimeDep
) -> dict[str, Any]:
    """已接单: someone takes the need; the household sees it at the kiosk."""
    return _step_need(need_no, body, user, runtime, needs.take, "need.take")


@router.post("/needs/{need_no}/deliver")
def deliver_need(
    need_no: Annotated[str, Path(max_length=40)], body: StepBody, user: VisibilityDep, runtime: RuntimeDep
) -> dict[str, Any]:
    """已送达: the need has been met."""
    return _step_need(need_no, body, user, runtime, needs.deliver, "need.deliver")


def _step_need(need_no: str, body: StepBody, user: Visibility, runtime: PlatformRuntime,
               step: Callable[..., Any], action: str) -> dict[str, Any]:
    """Move a need one step (taken, delivered) in the staff member's communities, audited."""
    user.staff.require("volunteers")
    now = runtime.clock.now()
    with write_transaction(runtime.db) as session:
        need = step(session, need_no=need_no, communities=user.communities, by=body.by, now=now)
        audit.record(session, actor=user.staff.username, action=action, target=f"need:{need_no}",
                     at=now, detail={"by": body.by})
        return needs.view(need)


__all__ = ["VolunteerFile", "router"]
