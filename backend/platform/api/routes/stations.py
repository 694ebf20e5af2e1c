"""Stations for staff: list with current state, detail, history, creation, enrolment codes."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from backend.shared.api_params import Cursor
from backend.shared.errors import FORBIDDEN, AppError

from ...db.session import write_transaction
from ...services import audit, fleet_service
from ...services import stations as station_service
from ..deps import RuntimeDep, VisibilityDep

router = APIRouter(prefix="/api/staff/stations", tags=["stations"])


class NewStation(BaseModel):
    station_id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{1,63}$")
    name: str = Field(min_length=1, max_length=128)
    community_code: str = Field(min_length=1, max_length=32)
    station_code: str = Field(pattern=r"^S[0-9]{2,3}$")


@router.get("")
def list_stations(visible: VisibilityDep, runtime: RuntimeDep) -> list[dict[str, Any]]:
    """Every station the user may see, with its current state."""
    with runtime.db() as session:
        return fleet_service.list_stations(session, communities=visible.communities, now=runtime.clock.now(),
                                   offline_after=runtime.settings.offline_after_seconds)


@router.post("", status_code=201)
def create_station(body: NewStation, visible: VisibilityDep, runtime: RuntimeDep) -> dict[str, Any]:
    """Register a station under a community (admin)."""
    visible.staff.require("stations")
    _in_scope(visible.communities, body.community_code)
    now = runtime.clock.now()
    with write_transaction(runtime.db) as session:
        station = station_service.create_station(session, station_id=body.station_id, name=body.name,
                                                 community_code=body.community_code,
                                                 station_code=body.station_code, now=now)
        audit.record(session, actor=visible.staff.username, action="station.create",
                     target=f"station:{station.id}", at=now, detail=body.model_dump())
        detail = fleet_service.station_detail(session, station=station, now=now,
                                      offline_after=runtime.settings.offline_after_seconds)
    runtime.publish([{"type": "station.created", "station_id": body.station_id}])
    return detail


@router.get("/{station_id}")
def get_station(station_id: str, visible: VisibilityDep, runtime: RuntimeDep) -> dict[str, Any]:
    """One station: state, components, counters, open alerts."""
    with runtime.db() as session:
        station = visible.station(session, station_id)
        return fleet_service.station_detail(session, station=station, now=runtime.clock.now(),
                                    offline_after=runtime.settings.offline_after_seconds)


@router.post("/{station_id}/enrolment-codes", status_code=201)
def enrolment_code(station_id: str, visible: VisibilityDep, runtime: RuntimeDep) -> dict[str, Any]:
    """Make a one-time code for ``kiosk enroll`` (shown once; only its hash is kept)."""
    visible.staff.require("enrol")
    now = runtime.clock.now()
    with write_transaction(runtime.db) as session:
        visible.station(session, station_id)
        code, expires_at = station_service.new_enrolment_code(
            session, station_id=station_id, now=now, minutes=runtime.settings.enrolment_code_minutes,
            created_by=visible.staff.username)
        audit.record(session, actor=visible.staff.username, action="station.enrolment_code",
                     target=f"station:{station_id}", at=now, detail={"expires_at": expires_at.isoformat()})
    return {"station_id": station_id, "code": code, "expires_at": expires_at.isoformat()}


@router.get("/{station_id}/heartbeats")
def heartbeats(station_id: str, visible: VisibilityDep, runtime: RuntimeDep,
               limit: int = Query(50, ge=1, le=1000)) -> list[dict[str, Any]]:
    """The station's heartbeat history, newest first."""
    with runtime.db() as session:
        visible.station(session, station_id)
        return fleet_service.heartbeats(session, station_id=station_id, limit=limit)


@router.get("/{station_id}/events")
def events(station_id: str, visible: VisibilityDep, runtime: RuntimeDep, after: Cursor = 0,
           limit: int = Query(500, ge=1, le=5000)) -> list[dict[str, Any]]:
    """The events the station reported, by seq, with how each was applied."""
    with runtime.db() as session:
        visible.station(session, station_id)
        return fleet_service.events(session, station_id=station_id, after=after, limit=limit)


@router.get("/{station_id}/certificates")
def certificates(station_id: str, visible: VisibilityDep, runtime: RuntimeDep,
                 limit: int = Query(200, ge=1, le=5000)) -> list[dict[str, Any]]:
    """Certificates the station issued, as registered on the platform."""
    with runtime.db() as session:
        visible.station(session, station_id)
        return fleet_service.certificates(session, station_ids=[station_id], limit=limit)


def _in_scope(communities: list[str], community_code: str) -> None:
    if community_code not in communities:
        raise AppError(FORBIDDEN, detail=community_code)
