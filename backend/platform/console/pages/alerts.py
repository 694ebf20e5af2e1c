"""Alerts: open and resolved, acknowledge, assign. An alert resolves itself when its cause clears;
acknowledging says someone is on it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError

from backend.shared.api_params import RowId
from backend.shared.errors import VALIDATION, AppError

from ...api.deps import RuntimeDep
from ...api.routes import alerts as alerts_api
from ...runtime import PlatformRuntime
from ...services import alerts as alert_service
from ...services import fleet_service
from ..render import ConsoleRoute, back, render
from ..search import AlertFilter
from ..session import ConsoleUser, UserDep

router = APIRouter(prefix="/console/alerts", route_class=ConsoleRoute, include_in_schema=False)
ShowQuery = Query("open", pattern=r"^(open|resolved|all)$")
StationQuery = Query("", max_length=64)


@router.get("", response_class=HTMLResponse)
def alerts_page(request: Request, user: UserDep, runtime: RuntimeDep, show: str = ShowQuery,
                station: str = StationQuery) -> HTMLResponse:
    """Open (or resolved) alerts of the stations the user may see, newest first, filtered by the
    query string (station, kind, severity, words)."""
    chosen = AlertFilter.of(request.query_params)
    src = "/console/alerts/rows?" + chosen.query()
    with runtime.db() as session:
        stations = fleet_service.visible_station_ids(session, user.visible.communities)
    return render(request, "alerts.html", user=user, section="alerts", show=chosen.show,
                  station=chosen.station, alerts=filtered_alerts(user, runtime, chosen), rows_src=src,
                  af=chosen, stations=stations, kinds=sorted(alert_service.SEVERITY))


@router.get("/rows", response_class=HTMLResponse)
def alert_rows(request: Request, user: UserDep, runtime: RuntimeDep, show: str = ShowQuery,
               station: str = StationQuery) -> HTMLResponse:
    """The table's rows alone, for live updates."""
    chosen = AlertFilter.of(request.query_params)
    return render(request, "_alert_rows.html", user=user, show=chosen.show, station=chosen.station, af=chosen,
                  alerts=filtered_alerts(user, runtime, chosen))


def filtered_alerts(user: ConsoleUser, runtime: PlatformRuntime, chosen: AlertFilter) -> list[dict[str, Any]]:
    """The alerts of the user's stations that the filter keeps, each open one with who it may be
    given to: the real staff of its station's area (a select, not text)."""
    found = [a for a in alerts_api.list_alerts(user.visible, runtime, open_only=chosen.show == "open")
             if chosen.keep(a)]
    people: dict[str, list[dict[str, str]]] = {}
    with runtime.db() as session:
        for alert in found:
            if alert["station_id"] not in people and not alert["resolved_at"]:
                people[alert["station_id"]] = alert_service.assignees(session, alert["station_id"])
    return [a | {"assignees": people.get(a["station_id"], [])} for a in found]


@router.post("/{alert_id}/acknowledge")
def acknowledge(alert_id: RowId, user: UserDep, runtime: RuntimeDep,
                back_to: Annotated[str, Form(max_length=256)] = "") -> RedirectResponse:
    """Acknowledge an alert (role and area checked by the staff API, audited there)."""
    try:
        alerts_api.acknowledge(alert_id, user.visible, runtime)
    except AppError as err:
        return back(_back(back_to), error=err)
    return back(_back(back_to), done="done.acknowledged")


@router.post("/{alert_id}/assign")
def assign(alert_id: RowId, user: UserDep, runtime: RuntimeDep, to: Annotated[str, Form(max_length=64)],
           back_to: Annotated[str, Form(max_length=256)] = "") -> RedirectResponse:
    """Give an alert to someone."""
    try:
        body = _assign_body(to)
        alerts_api.assign(alert_id, body, user.visible, runtime)
    except AppError as err:
        return back(_back(back_to), error=err, field=("to", "unknown_staff") if err.status == 422 else None)
    return back(_back(back_to), done="done.assigned")


def _assign_body(to: str) -> alerts_api.AssignBody:
    try:
        return alerts_api.AssignBody(to=to.strip())
    except ValidationError as err:
        raise AppError(VALIDATION, detail="to") from err


def _back(target: str) -> str:
    return target if target.startswith("/console/alerts") and "//" not in target else "/console/alerts"
