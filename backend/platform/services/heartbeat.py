"""Heartbeats: the station's current state and its history, and the alerts they open or clear."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from backend.shared.protocol import Heartbeat

from ..db.models import ComponentState, HeartbeatRecord, Station, StationState
from . import alerts
from .appliers import upsert_component


def record_heartbeat(session: Session, *, station: Station, heartbeat: Heartbeat, now: datetime,
                     offline_after: int, depth_limit: int, age_limit: int) -> list[dict[str, Any]]:
    """Store a heartbeat, update the current state, open or resolve alerts; return live notes."""
    state = session.get(StationState, station.id)
    assert state is not None
    notes: list[dict[str, Any]] = []
    was_online = state.last_seen is not None and state.last_seen >= now - timedelta(seconds=offline_after)
    previous_service = state.service_state
    _update_state(state, heartbeat, now)
    # One query for every component; held here so the upserts below find them in the session
    # (its identity map only keeps objects someone references).
    loaded = session.scalars(select(ComponentState).where(ComponentState.station_id == station.id)).all()
    for component in heartbeat.components:
        upsert_component(session, station_id=station.id, report=component.model_dump(), now=now)
    session.add(HeartbeatRecord(station_id=station.id, received_at=now,
                                payload=heartbeat.model_dump(mode="json")))
    alerts.set_alert(session, station_id=station.id, kind=alerts.OFFLINE, active=False, detail="",
                     now=now, notes=notes)
    alerts.evaluate_printer(session, station_id=station.id, now=now, notes=notes)
    alerts.evaluate_outbox(session, state=state, depth_limit=depth_limit, age_limit=age_limit, now=now,
                           notes=notes)
    del loaded
    if not was_online or previous_service != state.service_state:
        notes.append({"type": "station.state", "station_id": station.id, "online": True,
                      "service_state": state.service_state, "reason": state.service_reason})
    return notes


def _update_state(state: StationState, heartbeat: Heartbeat, now: datetime) -> None:
    state.last_seen, state.version = now, heartbeat.version
    state.uptime_seconds = heartbeat.uptime_seconds
    state.service_state, state.service_reason = heartbeat.service_state, heartbeat.service_reason
    state.services = [s.model_dump() for s in heartbeat.services]
    state.paper_level = heartbeat.paper_level
    state.outbox_depth = heartbeat.outbox_depth
    state.outbox_oldest_age_seconds = heartbeat.outbox_oldest_age_seconds
    state.disk_free_bytes = heartbeat.disk_free_bytes
    state.counters = heartbeat.counters.model_dump()
    state.cursor = heartbeat.cursor


def prune_history(session: Session, *, now: datetime, days: int) -> None:
    """Forget heartbeats older than the history period."""
    session.execute(delete(HeartbeatRecord).where(HeartbeatRecord.received_at < now - timedelta(days=days)))
