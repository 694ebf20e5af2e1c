"""What staff see of the fleet: stations with their current state, components, history.

Online is computed when read (last heartbeat within ``offline_after``), so it is right on every
worker without anything held in memory; the sweep opens the offline alert.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ..db.area_models import Station, StationEvent
from ..db.certificate_models import CertificateRecord
from ..db.fleet_models import Alert, ComponentState, HeartbeatRecord, StationState

SUMMARY_COLUMNS = (Station.id, Station.name, Station.community_code, Station.station_code, Station.status,
                   Station.last_applied_seq, Station.events_applied, Station.duplicates, Station.gaps,
                   StationState.last_seen, StationState.service_state, StationState.service_reason,
                   StationState.paper_level, StationState.outbox_depth,
                   StationState.outbox_oldest_age_seconds, StationState.version)


def visible_station_ids(session: Session, communities: list[str]) -> list[str]:
    return list(session.scalars(select(Station.id).where(Station.community_code.in_(communities))))


def list_stations(session: Session, *, communities: list[str], now: datetime,
                  offline_after: int, search: str = "") -> list[dict[str, Any]]:
    """Every station in the given communities with its current state (those whose id or name
    contains ``search``, when given)."""
    # Columns, not ORM objects: building 10,000 instances of each took most of the fleet page's time.
    query = (select(*SUMMARY_COLUMNS).join(StationState, StationState.station_id == Station.id)
             .where(Station.community_code.in_(communities)).order_by(Station.id))
    if search:
        pattern = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(or_(Station.id.ilike(pattern, escape="\\"),
                                Station.name.ilike(pattern, escape="\\")))
    rows = session.execute(query).all()
    open_counts = {station_id: count for station_id, count in session.execute(
        select(Alert.station_id, func.count()).where(Alert.open_marker == 1)
        .group_by(Alert.station_id)).all()}
    return [_summary(row, row, open_counts.get(row.id, 0), now, offline_after) for row in rows]


def _summary(station: Any, state: Any, open_alerts: int, now: datetime,
             offline_after: int) -> dict[str, Any]:
    online = state.last_seen is not None and state.last_seen >= now - timedelta(seconds=offline_after)
    return {
        "id": station.id, "name": station.name, "community_code": station.community_code,
        "station_code": station.station_code, "status": station.status, "online": online,
        "last_seen": state.last_seen.isoformat() if state.last_seen else None,
        "service_state": state.service_state, "service_reason": state.service_reason,
        "paper_level": state.paper_level, "outbox_depth": state.outbox_depth,
        "outbox_oldest_age_seconds": state.outbox_oldest_age_seconds, "version": state.version,
        "open_alerts": open_alerts, "last_applied_seq": station.last_applied_seq,
        "events_applied": station.events_applied, "duplicates": station.duplicates,
        "gaps": station.gaps,
    }


def station_detail(session: Session, *, station: Station, now: datetime,
                   offline_after: int) -> dict[str, Any]:
    """One station: its summary, components, counters and open alerts."""
    state = session.get(StationState, station.id)
    assert state is not None
    open_alerts = session.scalar(select(func.count()).select_from(Alert).where(
        Alert.station_id == station.id, Alert.open_marker == 1)) or 0
    components = session.scalars(select(ComponentState).where(ComponentState.station_id == station.id)
                                 .order_by(ComponentState.component_id))
    return _summary(station, state, open_alerts, now, offline_after) | {
        "enrolled_at": station.enrolled_at.isoformat() if station.enrolled_at else None,
        "uptime_seconds": state.uptime_seconds, "disk_free_bytes": state.disk_free_bytes,
        "counters": state.counters, "services": state.services, "cursor": state.cursor,
        "components": [{"id": c.component_id, "kind": c.kind, "state": c.state, "code": c.code,
                        "detail": c.detail, "simulated": c.simulated,
                        "changed_at": c.changed_at.isoformat()} for c in components],
    }


def heartbeats(session: Session, *, station_id: str, limit: int) -> list[dict[str, Any]]:
    query = (select(HeartbeatRecord).where(HeartbeatRecord.station_id == station_id)
             .order_by(HeartbeatRecord.id.desc()).limit(limit))
    return [{"received_at": h.received_at.isoformat(), **h.payload} for h in session.scalars(query)]


def events(session: Session, *, station_id: str, after: int, limit: int) -> list[dict[str, Any]]:
    query = (select(StationEvent).where(StationEvent.station_id == station_id, StationEvent.seq > after)
             .order_by(StationEvent.seq).limit(limit))
    return [{"seq": e.seq, "type": e.type, "aggregate_id": e.aggregate_id, "outcome": e.outcome,
             "reason": e.reason, "created_at": e.created_at.isoformat(),
             "received_at": e.received_at.isoformat(), "payload": e.payload}
            for e in session.scalars(query)]


def certificates(session: Session, *, station_ids: list[str], limit: int) -> list[dict[str, Any]]:
    query = (select(CertificateRecord).where(CertificateRecord.station_id.in_(station_ids))
             .order_by(CertificateRecord.issued_at.desc()).limit(limit))
    return [{"id": c.id, "station_id": c.station_id, "serial": c.serial, "identifier": c.identifier,
             "type_code": c.type_code, "holder_id_masked": c.holder_id_masked, "state": c.state,
             "print_count": c.print_count, "print_failures": c.print_failures,
             "issued_at": c.issued_at.isoformat(), "expires_at": c.expires_at.isoformat()}
            for c in session.scalars(query)]
