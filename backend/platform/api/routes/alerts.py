"""Alerts for staff: list, acknowledge, assign."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from backend.shared.api_params import RowId

from ...db.session import write_transaction
from ...services import alerts as alert_service
from ...services import audit, fleet_service
from ...services.notify.dispatch import drop_acknowledged
from ..deps import RuntimeDep, VisibilityDep

router = APIRouter(prefix="/api/staff/alerts", tags=["alerts"])


class AssignBody(BaseModel):
    to: str = Field(min_length=1, max_length=64)


@router.get("")
def list_alerts(visible: VisibilityDep, runtime: RuntimeDep,
                open_only: bool = Query(True, alias="open")) -> list[dict[str, Any]]:
    """Alerts of the stations the user may see, newest first."""
    with runtime.db() as session:
        ids = fleet_service.visible_station_ids(session, visible.communities)
        return alert_service.list_alerts(session, station_ids=ids, open_only=open_only)


@router.post("/{alert_id}/acknowledge")
def acknowledge(alert_id: RowId, visible: VisibilityDep, runtime: RuntimeDep) -> dict[str, Any]:
    """Say someone is looking at it (it still resolves itself when the cause clears)."""
    visible.staff.require("alerts")
    now = runtime.clock.now()
    with write_transaction(runtime.db) as session:
        ids = fleet_service.visible_station_ids(session, visible.communities)
        alert = alert_service.acknowledge(session, alert_id=alert_id, by=visible.staff.username, now=now,
                                          station_ids=ids)
        drop_acknowledged(session, alert_id=alert_id)  # its escalations waiting are not sent
        audit.record(session, actor=visible.staff.username, action="alert.acknowledge",
                     target=f"alert:{alert_id}", at=now)
        view = alert_service.alert_view(alert)
    runtime.publish([{"type": "alert.acknowledged", **view}])
    return view


@router.post("/{alert_id}/assign")
def assign(alert_id: RowId, body: AssignBody, visible: VisibilityDep, runtime: RuntimeDep) -> dict[str, Any]:
    """Give the alert to someone."""
    visible.staff.require("alerts")
    now = runtime.clock.now()
    with write_transaction(runtime.db) as session:
        ids = fleet_service.visible_station_ids(session, visible.communities)
        alert = alert_service.assign(session, alert_id=alert_id, to=body.to, station_ids=ids)
        audit.record(session, actor=visible.staff.username, action="alert.assign",
                     target=f"alert:{alert_id}", at=now, detail={"to": body.to})
        return alert_service.alert_view(alert)
