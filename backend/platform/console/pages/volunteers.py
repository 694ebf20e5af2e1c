"""Volunteers and emergency mode in the console: the volunteer register (import, with every bad row
listed and nothing imported), hours per month (and their export), emergency areas switched on
and off, an area's command structure, and the printable after-action report."""

from __future__ import annotations

import base64
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from backend.shared import localtime
from backend.shared.errors import AppError
from backend.shared.volunteers.config import load_volunteer_config

from ...api.deps import RuntimeDep
from ...api.routes import emergency as mode_api
from ...api.routes import volunteers as api
from ...runtime import PlatformRuntime
from ...services.volunteers import emergency, notice_image, register
from ..fleet_view import areas
from ..render import ConsoleRoute, back, render
from ..session import ConsoleUser, UserDep

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)
Short = Annotated[str, Form(max_length=255)]
Words = Annotated[str, Form(max_length=2000)]
ModeId = mode_api.ModeId


def _community(user: ConsoleUser, runtime: PlatformRuntime, chosen: str) -> tuple[str, list[dict[str, Any]]]:
    with runtime.db() as session:
        communities = areas(session, user.visible.communities)
    codes = [c["code"] for c in communities]
    return (chosen if chosen in codes else (codes[0] if codes else "")), communities


def _month(runtime: PlatformRuntime, month: str) -> str:
    return month or localtime.local_date(runtime.clock.now()).strftime("%Y-%m")


@router.get("/console/volunteers", response_class=HTMLResponse)
def volunteers_page(
    request: Request,
    user: UserDep,
    runtime: RuntimeDep,
    community: str = "",
    month: Annotated[str, Query(pattern=r"^(\d{4}-\d{2})?$")] = "",
    by: Literal["person", "unit", "compound"] = "person",
) -> HTMLResponse:
    """The register, its import form and the month's hours."""
    user.require("volunteers")
    return _page(request, user, runtime, community, _month(runtime, month), by)


def _page(
    request: Request,
    user: ConsoleUser,
    runtime: PlatformRuntime,
    community: str,
    month: str,
    by: str,
    *,
    report: dict[str, Any] | None = None,
    rejected: list[dict[str, Any]] | None = None,
    status: int = 200,
) -> HTMLResponse:
    chosen, communities = _community(user, runtime, community)
    people = api.list_volunteers(chosen, user.visible, runtime) if chosen else []
    hours = api.volunteer_hours(chosen, month, user.visible, runtime, by=by) if chosen else []  # type: ignore[arg-type]
    return render(
        request,
        "volunteers.html",
        user=user,
        section="volunteers",
        communities=communities,
        chosen=chosen,
        people=people,
        hours=hours,
        month=month,
        by=by,
        report=report,
        rejected=rejected,
        status=status,
        config=load_volunteer_config(),
    )


@router.post("/console/volunteers/import", response_class=HTMLResponse)
async def import_file(
    request: Request,
    user: UserDep,
    runtime: RuntimeDep,
    community: Annotated[str, Form(max_length=32)],
    file: Annotated[UploadFile, File()],
) -> HTMLResponse:
    """Import a file whole, or show every bad row and import nothing."""
    user.require("volunteers")
    month = _month(runtime, "")
    try:
        report = await api.import_volunteers(community, file, user.visible, runtime)
    except AppError as err:
        if "rejected" not in err.context:
            raise
        rejected = list(err.context["rejected"])
        return await run_in_threadpool(
            lambda: _page(request, user, runtime, community, month, "person", rejected=rejected, status=422)
        )
    return await run_in_threadpool(
        lambda: _page(request, user, runtime, community, month, "person", report=report)
    )


@router.get("/console/volunteers/hours.{fmt}")
def export_hours(
    fmt: Literal["csv", "xlsx"],
    user: UserDep,
    runtime: RuntimeDep,
    community: str,
    month: Annotated[str, Query(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")],
    by: Literal["person", "unit", "compound"] = "person",
) -> Response:
    """The month's hours as a file."""
    result = api.volunteer_hours(community, month, user.visible, runtime, by=by, format=fmt)
    assert isinstance(result, Response)
    return result


@router.get("/console/emergency", response_class=HTMLResponse)
def emergency_page(request: Request, user: UserDep, runtime: RuntimeDep) -> HTMLResponse:
    """Emergency areas (active first), and the switch for each compound."""
    user.require("volunteers")
    with runtime.db() as session:
        modes = emergency.listing(session, user.visible.communities)
        compounds = [
            {"community": code, "code": c.code, "name": c.name_zh, "buildings": c.buildings}
            for code in user.visible.communities
            for c in register.compounds_of(session, code)
        ]
    modes.sort(key=lambda m: (not m["active"], m["started_at"]))
    return render(request, "emergency.html", user=user, section="emergency", modes=modes, compounds=compounds)


@router.post("/console/emergency")
def switch_on(
    user: UserDep,
    runtime: RuntimeDep,
    compound: Annotated[str, Form(max_length=32)],
    reason: Short,
    message: Short,
    message_en: Short = "",
    notice_title: Short = "",
    notice_title_en: Short = "",
    notice_body: Words = "",
    notice_body_en: Words = "",
    notice_image: Annotated[UploadFile | None, File()] = None,
) -> RedirectResponse:
    """Switch a compound into emergency mode, with a notice (its words, and a picture) if given."""
    with runtime.db() as session:
        found = next(
            (
                c
                for code in user.visible.communities
                for c in register.compounds_of(session, code)
                if c.code == compound
            ),
            None,
        )
    if found is None:
        return back("/console/emergency", error=AppError("volunteers.compound_not_found"))
    body = mode_api.SwitchOn(
        community_code=found.community_code,
        scope="compound",
        compound_code=compound,
        reason=reason,
        message={"zh": message, "en": message_en or message},
    )
    try:
        words = {"zh": notice_title, "en": notice_title_en}, {"zh": notice_body, "en": notice_body_en}
        body.notices = _notices(*words, notice_image)
        mode = mode_api.switch_on(body, user.visible, runtime)
    except AppError as err:
        return back("/console/emergency", error=err)
    return back(f"/console/emergency/{mode['id']}", done="done.emergency_on")


def _notices(title: dict[str, str], body: dict[str, str], image: UploadFile | None) -> list[mode_api.Notice]:
    """The form's one notice (its title and words in both languages, a picture); nothing: none."""
    data = image.file.read(notice_image.RULES.max_input + 1) if image is not None and image.filename else b""
    if not (title["zh"] or body["zh"] or data):
        return []
    both = [{"zh": t["zh"], "en": t["en"] or t["zh"]} for t in (title, body)]
    picture = base64.b64encode(data).decode("ascii")
    return [mode_api.Notice(title=both[0], body=both[1], image_base64=picture)]


@router.post("/console/emergency/{mode_id}/end")
def switch_off(mode_id: ModeId, user: UserDep, runtime: RuntimeDep, reason: Short) -> RedirectResponse:
    """Bring the area back to normal times."""
    try:
        mode_api.switch_off(mode_id, mode_api.SwitchOff(reason=reason), user.visible, runtime)
    except AppError as err:
        return back(f"/console/emergency/{mode_id}", error=err)
    return back(f"/console/emergency/{mode_id}", done="done.emergency_off")


@router.get("/console/emergency/{mode_id}", response_class=HTMLResponse)
def command_page(request: Request, mode_id: ModeId, user: UserDep, runtime: RuntimeDep) -> HTMLResponse:
    """The area's command structure: leaders, check-ins, open needs by building and urgency."""
    view = mode_api.command_structure(mode_id, user.visible, runtime)
    return render(
        request,
        "emergency_command.html",
        user=user,
        section="emergency",
        mode=view,
        config=load_volunteer_config(),
    )


@router.get("/console/emergency/{mode_id}/notices/{index}/image")
def notice_picture(mode_id: ModeId, index: int, user: UserDep, runtime: RuntimeDep) -> Response:
    """A notice's picture, as the kiosks show it."""
    return mode_api.notice_picture(mode_id, index, user.visible, runtime)


@router.get("/console/emergency/{mode_id}/report", response_class=HTMLResponse)
def report_page(request: Request, mode_id: ModeId, user: UserDep, runtime: RuntimeDep) -> HTMLResponse:
    """The printable after-action summary."""
    view = mode_api.after_action(mode_id, user.visible, runtime)
    return render(request, "emergency_report.html", user=user, section="emergency", mode=view)
