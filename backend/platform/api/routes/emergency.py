"""Emergency mode (战时) for staff: switching an area into it and back (audited; the stations get
it by the down-sync), its notices with their pictures, the command structure, the needs (take,
deliver) and the after-action summary."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path
from fastapi.responses import Response
from pydantic import BaseModel, Field

from backend.shared.errors import AppError
from backend.shared.volunteers.config import load_volunteer_config
from backend.shared.volunteers.notice_image import image_of

from ...db.session import write_transaction
from ...runtime import PlatformRuntime
from ...services import audit
from ...services.volunteers import emergency, needs, notice_image, views
from ...services.volunteers.errors import EMERGENCY_NOT_FOUND
from ..deps import RuntimeDep, Visibility, VisibilityDep
from .volunteers import visible

router = APIRouter(prefix="/api/staff", tags=["volunteers"])
MAX_BODY = 1024 * 1024  # what the app takes for a JSON body (backend/platform/app.py)
ModeId = Annotated[str, Path(min_length=36, max_length=36)]


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

