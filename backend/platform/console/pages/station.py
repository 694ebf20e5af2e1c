"""One station: summary, components and their history, events, counters as a chart, commands
with their results, and the diagnostics bundle. Reads and actions go through the staff API's
route functions, so a station outside the user's area is "not found" here as there."""

from __future__ import annotations

import base64
import json
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from backend.shared import localtime
from backend.shared.errors import NOT_FOUND, AppError
from backend.shared.protocol import CommandKind

from ...api.deps import RuntimeDep
from ...api.routes import commands as commands_api
from ...api.routes import stations as stations_api
from ...db.session import write_transaction
from ...runtime import PlatformRuntime
from ...services import alerts as alert_service
from ...services import audit
from ...services.commands import PERMISSION
from ...services.errors import COMMAND_INVALID
from ..charts import Series, line_chart, thin
from ..i18n import words
from ..render import ConsoleRoute, back, render
from ..session import ConsoleUser, UserDep, language

router = APIRouter(prefix="/console/stations/{station_id}", route_class=ConsoleRoute,
                   include_in_schema=False)
COUNTERS = ("certificates", "requests", "scans", "print_failures")
LIVE_PARTS = ("summary", "components", "commands", "alerts", "screen")


@router.get("", response_class=HTMLResponse)
def station_page(station_id: str, request: Request, user: UserDep, runtime: RuntimeDep) -> HTMLResponse:
    """Everything about one station the user may see."""
    lang = language(request)
    parts = _parts(user, runtime, station_id)
    beats = stations_api.heartbeats(station_id, user.visible, runtime, limit=1000)
    start = max(0, int(parts["station"]["last_applied_seq"]) - 300)
    events = stations_api.events(station_id, user.visible, runtime, after=start, limit=300)[::-1]
    return render(request, "station.html", user=user, section="fleet", **parts,
                  chart=_chart(beats, lang), samples=_samples(beats), events=events[:100],
                  component_history=[e for e in events if e["type"] == "component.status"][:50],
                  certificates=stations_api.certificates(station_id, user.visible, runtime, limit=50))


@router.get("/live/{part}", response_class=HTMLResponse)
def live_part(station_id: str, part: str, request: Request, user: UserDep,
              runtime: RuntimeDep) -> HTMLResponse:
    """One part of the page, for live updates."""
    if part not in LIVE_PARTS:
        raise AppError(NOT_FOUND, detail=part)
    return render(request, f"_station_{part}.html", user=user, **_parts(user, runtime, station_id, part))


def _parts(user: ConsoleUser, runtime: PlatformRuntime, station_id: str,
           part: str | None = None) -> dict[str, Any]:
    """What the page (``part`` None) or one live part of it shows: a live part is fetched on
    every station event by every open page, so it loads only what it renders (the commands
    carry screenshots)."""
    station = stations_api.get_station(station_id, user.visible, runtime)
    parts: dict[str, Any] = {"station": station, "kinds": _kinds(user), "open_alerts": [],
                             "commands": [], "screenshot": None}
    if part in (None, "alerts"):
        with runtime.db() as session:
            parts["open_alerts"] = alert_service.list_alerts(session, station_ids=[station_id],
                                                             open_only=True)
    if part in (None, "commands", "screen"):
        commands = commands_api.list_commands(station_id, user.visible, runtime)
        parts["commands"] = commands
        parts["screenshot"] = next((c for c in commands if c["kind"] == CommandKind.SCREENSHOT), None)
    return parts


def _kinds(user: ConsoleUser) -> set[str]:
    return {kind.value for kind, permission in PERMISSION.items() if user.can(permission)}


def _chart(beats: list[dict[str, Any]], lang: str) -> Any:
    ordered = thin([(localtime.to_local(datetime.fromisoformat(b["received_at"])), b) for b in beats[::-1]])
    series = [Series(words(lang, f"counter.{name}"),
                     [(t, float((b.get("counters") or {}).get(name, 0))) for t, b in ordered])
              for name in COUNTERS]
    return line_chart(series, title=words(lang, "station.counters")) if ordered else ""


def _samples(beats: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A few heartbeats as a table beside the chart (the chart's words for screen readers)."""
    step = max(1, len(beats) // 8)
    return [{"at": b["received_at"], **{n: (b.get("counters") or {}).get(n, 0) for n in COUNTERS}}
            for b in beats[::step][:8]]


@router.post("/commands")
def send_command(station_id: str, user: UserDep, runtime: RuntimeDep,
                       kind: Annotated[str, Form(max_length=16)],
                       reason: Annotated[str, Form(max_length=200)] = "",
                       on: Annotated[str, Form(max_length=8)] = "",
                       certificate_id: Annotated[str, Form(max_length=40)] = "") -> RedirectResponse:
    """Send a command through the staff API (role checked and audited there)."""
    here = f"/console/stations/{station_id}"
    if kind == CommandKind.SUSPEND and not reason.strip():  # say which field, not "invalid command"
        return back(here, error=AppError(COMMAND_INVALID, detail="reason"), field=("suspend_reason", "empty"))
    try:
        body = _command_body(kind, reason=reason.strip(), on=on, certificate_id=certificate_id)
        commands_api.send_command(station_id, body, user.visible, runtime)
    except AppError as err:
        if err.status == 404:
            raise
        return back(here, error=err)
    return back(here, done="done.command")


def _command_body(kind: str, *, reason: str, on: str, certificate_id: str) -> commands_api.CommandBody:
    params: dict[str, Any] = {}
    if kind == CommandKind.SUSPEND:
        params["reason"] = reason
    elif kind == CommandKind.MAINTENANCE:
        params["on"] = on == "1"
    elif kind == CommandKind.REPRINT:
        params["certificate_id"] = certificate_id
    try:
        return commands_api.CommandBody(kind=kind, params=params)
    except ValidationError as err:
        raise AppError(COMMAND_INVALID, detail=kind) from err


@router.get("/commands/{command_id}/bundle")
def diagnostics_bundle(station_id: str, command_id: str, user: UserDep, runtime: RuntimeDep) -> Response:
    """Download what a diagnostics command collected, as JSON (the download is audited)."""
    user.require(PERMISSION[CommandKind.DIAGNOSTICS])
    found = [c for c in commands_api.list_commands(station_id, user.visible, runtime)
             if c["id"] == command_id and c["kind"] == CommandKind.DIAGNOSTICS and c["result"]]
    if not found:
        raise AppError(NOT_FOUND, detail=command_id)
    with write_transaction(runtime.db) as session:
        audit.record(session, actor=user.staff.username, action="station.diagnostics_download",
                     target=f"station:{station_id}", at=runtime.clock.now(),
                     detail={"command_id": command_id}, source="console")
    bundle = {"station_id": station_id, "command": found[0]}
    name = f"diagnostics-{station_id}-{command_id[:8]}.json"
    return Response(json.dumps(bundle, ensure_ascii=False, indent=2), media_type="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "Cache-Control": "no-store"})


@router.get("/commands/{command_id}/screen.jpg")
def screen_capture(station_id: str, command_id: str, user: UserDep, runtime: RuntimeDep) -> Response:
    """The kiosk screen a screenshot command brought back."""
    found = [c for c in commands_api.list_commands(station_id, user.visible, runtime)
             if c["id"] == command_id and c["kind"] == CommandKind.SCREENSHOT and c["status"] == "done"]
    data = ((found[0]["result"] or {}).get("data") or {}) if found else {}
    try:
        jpeg = base64.b64decode(str(data.get("jpeg_base64", "")), validate=True)
    except ValueError as err:
        raise AppError(NOT_FOUND, detail=command_id) from err
    if not jpeg.startswith(b"\xff\xd8"):
        raise AppError(NOT_FOUND, detail=command_id)
    return Response(jpeg, media_type="image/jpeg", headers={"Cache-Control": "private, no-store"})
