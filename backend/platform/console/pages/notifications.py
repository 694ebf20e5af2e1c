"""Notification channels and silences of the user's area, and an alert's page with its delivery
log and acknowledge button (the link in every message opens it; signing in comes first)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError

from backend.shared.api_params import RowId
from backend.shared.errors import VALIDATION, AppError

from ...api.deps import RuntimeDep
from ...api.routes import notifications as notify_api
from ...db.fleet_models import Alert
from ...services import alerts as alert_service
from ...services import fleet_service
from ...services.errors import ALERT_NOT_FOUND
from ..render import ConsoleRoute, back, render
from ..session import UserDep

router = APIRouter(prefix="/console", route_class=ConsoleRoute, include_in_schema=False)
PAGE = "/console/notifications"


@router.get("/notifications", response_class=HTMLResponse)
def notifications_page(request: Request, user: UserDep, runtime: RuntimeDep) -> HTMLResponse:
    """Channels and silences in force, with forms to add them."""
    return render(request, "notifications.html", user=user, section="alerts",
                  channels=notify_api.list_channels(user.visible, runtime),
                  silences=notify_api.list_silences(user.visible, runtime))


@router.post("/notifications/channels")
def add_channel(user: UserDep, runtime: RuntimeDep, name: Annotated[str, Form(max_length=64)],
                kind: Annotated[str, Form(max_length=16)], target: Annotated[str, Form(max_length=512)],
                area_code: Annotated[str, Form(max_length=32)],
                min_severity: Annotated[str, Form(max_length=16)] = "warning",
                secret: Annotated[str, Form(max_length=256)] = "") -> RedirectResponse:
    """Add a channel (checked by the staff API)."""
    try:
        body = _valid(notify_api.ChannelBody, name=name.strip(), kind=kind, target=target.strip(),
                      secret=secret or None, area_code=area_code.strip(), min_severity=min_severity)
        notify_api.create_channel(body, user.visible, runtime)
    except AppError as err:
        return back(PAGE, error=err)
    return back(PAGE, done="done.channel_added")


@router.post("/notifications/channels/{channel_id}/test")
def test_channel(channel_id: RowId, user: UserDep, runtime: RuntimeDep) -> RedirectResponse:
    try:
        notify_api.test_channel(channel_id, user.visible, runtime)
    except AppError as err:
        return back(PAGE, error=err)
    return back(PAGE, done="done.test_queued")


@router.post("/notifications/channels/{channel_id}/delete")
def delete_channel(channel_id: RowId, user: UserDep, runtime: RuntimeDep) -> RedirectResponse:
    try:
        notify_api.delete_channel(channel_id, user.visible, runtime)
    except AppError as err:
        return back(PAGE, error=err)
    return back(PAGE, done="done.channel_deleted")


@router.post("/notifications/silences")
def add_silence(user: UserDep, runtime: RuntimeDep, minutes: Annotated[int, Form(ge=1, le=20160)],
                station_id: Annotated[str, Form(max_length=64)] = "",
                area_code: Annotated[str, Form(max_length=32)] = "",
                reason: Annotated[str, Form(max_length=255)] = "") -> RedirectResponse:
    """Mute a station or an area for maintenance."""
    try:
        body = _valid(notify_api.SilenceBody, station_id=station_id.strip() or None,
                      area_code=area_code.strip() or None, minutes=minutes, reason=reason.strip())
        notify_api.add_silence(body, user.visible, runtime)
    except AppError as err:
        return back(PAGE, error=err)
    return back(PAGE, done="done.silenced")


@router.post("/notifications/silences/{silence_id}/end")
def end_silence(silence_id: RowId, user: UserDep, runtime: RuntimeDep) -> RedirectResponse:
    try:
        notify_api.end_silence(silence_id, user.visible, runtime)
    except AppError as err:
        return back(PAGE, error=err)
    return back(PAGE, done="done.silence_ended")


@router.get("/alerts/{alert_id}", response_class=HTMLResponse)
@router.get("/alerts/{alert_id}/acknowledge", response_class=HTMLResponse)
def alert_page(request: Request, alert_id: RowId, user: UserDep, runtime: RuntimeDep) -> HTMLResponse:
    """One alert, its delivery log and the acknowledge button (the messages link here)."""
    with runtime.db() as session:
        alert = session.get(Alert, alert_id)
        visible = fleet_service.visible_station_ids(session, user.visible.communities)
        if alert is None or alert.station_id not in visible:
            raise AppError(ALERT_NOT_FOUND, detail=str(alert_id))
        view: dict[str, Any] = alert_service.alert_view(alert)
    log = notify_api.deliveries(alert_id, user.visible, runtime)
    return render(request, "alert.html", user=user, section="alerts", alert=view, deliveries=log)


def _valid(model: Any, **fields: Any) -> Any:
    try:
        return model(**fields)
    except ValidationError as err:
        raise AppError(VALIDATION, detail=",".join(str(e["loc"][-1]) for e in err.errors())) from err
