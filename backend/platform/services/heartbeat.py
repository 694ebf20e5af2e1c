"""Heartbeats: the station's current state and its history, and the alerts they open or clear.

Most heartbeats say nothing new: the same services, components, paper and version as 30 s ago.
Such a beat (same digest, the station already online, history written recently) is one UPDATE
of the state row; on PostgreSQL one with its history row due is answered in SQL too (the row
written beside the touch). Anything else — a change, a station coming back online, history due
on SQLite — takes the full path: components, alerts, live notes and a history row. So history
holds every change and, between changes, one row per ``history_every``.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session

from backend.shared.db import write_lock
from backend.shared.protocol import Heartbeat

from ..db.fleet_models import ComponentState, HeartbeatRecord, StationState
from . import alerts
from .rollouts import OFFERING

# What changes on every beat without meaning anything by itself; the digest leaves it out.
VOLATILE = {"sent_at", "uptime_seconds", "counters", "cursor", "outbox_depth", "outbox_oldest_age_seconds",
            "disk_free_bytes"}
DISK_STEP = 128 * 1024 * 1024  # disk space matters in steps, not bytes
HISTORY_EVERY = timedelta(minutes=10)


def record_heartbeat(session: Session, *, station_id: str, heartbeat: Heartbeat, now: datetime,
                     offline_after: int, depth_limit: int, age_limit: int,
                     history_every: timedelta = HISTORY_EVERY) -> list[dict[str, Any]]:
    """Store a heartbeat, update the current state, open or resolve alerts; return live notes."""
    digest = heartbeat_digest(heartbeat, depth_limit=depth_limit, age_limit=age_limit)
    if _touch_if_unchanged(session, station_id=station_id, heartbeat=heartbeat, digest=digest, now=now,
                           online_since=now - timedelta(seconds=offline_after),
                           history_since=now - history_every):
        return []
    return _record_change(session, station_id=station_id, heartbeat=heartbeat, digest=digest, now=now,
                          offline_after=offline_after, depth_limit=depth_limit, age_limit=age_limit)


def heartbeat_digest(heartbeat: Heartbeat, *, depth_limit: int, age_limit: int) -> str:
    """Hash what can open, resolve or show something: all but the volatile fields, plus where the
    volatile ones stand against their alert thresholds."""
    meaning = heartbeat.model_dump(mode="json", exclude=VOLATILE)
    meaning["_outbox_alert"] = (heartbeat.outbox_depth > depth_limit
                                or heartbeat.outbox_oldest_age_seconds > age_limit)
    meaning["_disk_step"] = heartbeat.disk_free_bytes // DISK_STEP
    return hashlib.sha256(json.dumps(meaning, sort_keys=True).encode()).hexdigest()


def _touch_if_unchanged(session: Session, *, station_id: str, heartbeat: Heartbeat, digest: str,
                        now: datetime, online_since: datetime, history_since: datetime) -> bool:
    touched = session.execute(
        update(StationState)
        .where(StationState.station_id == station_id, StationState.digest == digest,
               StationState.last_seen >= online_since, StationState.history_at >= history_since)
        .values(last_seen=now, uptime_seconds=heartbeat.uptime_seconds, cursor=heartbeat.cursor,
                outbox_depth=heartbeat.outbox_depth,
                outbox_oldest_age_seconds=heartbeat.outbox_oldest_age_seconds,
                disk_free_bytes=heartbeat.disk_free_bytes, counters=heartbeat.counters.model_dump())
        .execution_options(synchronize_session=False))
    return bool(touched.rowcount == 1)  # type: ignore[attr-defined]


# An unchanged beat in one transaction: the state row is touched as in _touch_if_unchanged and,
# only if it was, the nonce is claimed. So either both are written or neither is — a changed beat
# writes nothing here and takes the full path, which claims the nonce itself. A used nonce fails
# (primary key), as the full path's claim does. A station with a release to be offered (offer_for
# would look) is left to the full path too. Sent by the driver itself (psycopg prepares it on each
# connection after a few uses; sqlite3 caches it): SQLAlchemy's statement and result machinery cost
# more than the statement here. Times are naive UTC, as UtcDateTime stores them.
#
# When the beat's history row is due (the last one is older than ``history_every``), the row the
# full path would write for an unchanged beat — the beat as received — is written with the touch
# and the nonce. Without it every station took the full path once per ``history_every``, and a
# fleet whose history was written all at once (its first beats after a platform outage, a bulk
# enrolment) came back to the full path all at once, every ten minutes.
def _touch_sql(*, history_due: bool) -> str:
    return f"""
    UPDATE station_states SET last_seen = :now, uptime_seconds = :uptime_seconds,
        "cursor" = :cursor, outbox_depth = :outbox_depth,
        outbox_oldest_age_seconds = :outbox_oldest_age_seconds, disk_free_bytes = :disk_free_bytes,
        counters = :counters{", history_at = :now" if history_due else ""}
    WHERE station_id = :station_id AND digest = :digest AND last_seen >= :online_since
        AND history_at {"<" if history_due else ">="} :history_since
        AND NOT EXISTS (SELECT 1 FROM rollout_stations AS rs JOIN rollouts AS r ON r.id = rs.rollout_id
                        WHERE rs.station_id = :station_id AND rs.state IN ('pending', 'offered')
                            AND r.state IN ({", ".join(f"'{state}'" for state in OFFERING)}))"""


TOUCH_SQL, TOUCH_DUE_SQL = _touch_sql(history_due=False), _touch_sql(history_due=True)
CLAIM_SQL = "INSERT INTO request_nonces (keyid, nonce, created) SELECT :station_id, :nonce, :created"
HISTORY_SQL = "INSERT INTO heartbeats (station_id, received_at, payload) SELECT :station_id, :now, :payload"


def _psycopg(sql: str) -> str:
    return re.sub(r":(\w+)", r"%(\1)s", sql)


# PostgreSQL: one statement, one round trip (autocommit) — the writes feed on the touched row.
UNCHANGED_SQL = _psycopg(f"WITH touched AS ({TOUCH_SQL}\n    RETURNING station_id)\n{CLAIM_SQL} FROM touched")
HISTORY_DUE_SQL = _psycopg(f"WITH touched AS ({TOUCH_DUE_SQL}\n    RETURNING station_id),\n"
                           f"claimed AS ({CLAIM_SQL} FROM touched)\n{HISTORY_SQL} FROM touched")


def beat_if_unchanged(engine: Engine, *, station_id: str, nonce: str, created: int, heartbeat: Heartbeat,
                      now: datetime, offline_after: int, depth_limit: int, age_limit: int,
                      history_every: timedelta = HISTORY_EVERY) -> bool:
    """Record an unchanged heartbeat (and its history row, when due) and claim its nonce together,
    on a connection of ``engine``'s pool; False when nothing was written: the beat changed
    something, the station was offline, has a release to be offered, or the nonce was used — the
    full path decides and answers."""
    utc = now.astimezone(UTC).replace(tzinfo=None)
    values: dict[str, Any] = {
        "now": utc, "uptime_seconds": heartbeat.uptime_seconds, "cursor": heartbeat.cursor,
        "outbox_depth": heartbeat.outbox_depth,
        "outbox_oldest_age_seconds": heartbeat.outbox_oldest_age_seconds,
        "disk_free_bytes": heartbeat.disk_free_bytes, "counters": heartbeat.counters.model_dump(),
        "station_id": station_id, "online_since": utc - timedelta(seconds=offline_after),
        "history_since": utc - history_every,
        "digest": heartbeat_digest(heartbeat, depth_limit=depth_limit, age_limit=age_limit),
        "nonce": nonce, "created": created}
    if engine.dialect.name == "postgresql":
        return _beat_postgres(engine, values, heartbeat)
    return _beat_sqlite(engine, values, heartbeat)


def _beat_postgres(engine: Engine, values: dict[str, Any], heartbeat: Heartbeat) -> bool:
    """One statement, in autocommit — two when the first touched nothing, the second writing the
    history row if that is all that is due."""
    import psycopg
    from psycopg.types.json import Json

    pooled = engine.raw_connection()
    try:
        connection = pooled.driver_connection
        assert isinstance(connection, psycopg.Connection)
        connection.autocommit = True  # what SQLAlchemy's AUTOCOMMIT does, and undoes, the same way
        try:
            row = values | {"counters": Json(values["counters"])}
            if connection.execute(UNCHANGED_SQL, row).rowcount == 1:
                return True
            # Not touched: changed, offline, in a rollout — or only its history row is due.
            row["payload"] = Json(heartbeat.model_dump(mode="json"))
            return connection.execute(HISTORY_DUE_SQL, row).rowcount == 1
        except psycopg.IntegrityError:
            return False  # the nonce was used: the full path refuses the replay and counts it
        finally:
            if not connection.closed:
                connection.autocommit = False
    except psycopg.OperationalError:
        pooled.invalidate()  # a connection that broke is not handed out again
        raise
    finally:
        pooled.close()


# SQLite has no data-modifying CTEs: the same writes as statements of one write transaction, under
# the writers' lock every write transaction of this process takes (shared/db.py), committed as
# durably as any.
_SQLITE_TIME = sqlite.DATETIME().bind_processor(sqlite.dialect())


def _beat_sqlite(engine: Engine, values: dict[str, Any], heartbeat: Heartbeat) -> bool:
    assert _SQLITE_TIME is not None
    row = values | {key: _SQLITE_TIME(values[key]) for key in ("now", "online_since", "history_since")}
    row["counters"] = json.dumps(values["counters"])
    with write_lock(engine):
        pooled = engine.raw_connection()
        try:
            connection = pooled.driver_connection
            assert isinstance(connection, sqlite3.Connection)
            connection.execute("BEGIN IMMEDIATE")
            try:
                claimed = _sqlite_writes(connection, row, heartbeat)
            except sqlite3.IntegrityError:
                claimed = False  # the nonce was used: the full path refuses the replay and counts it
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT" if claimed else "ROLLBACK")
            return claimed
        finally:
            pooled.close()


def _sqlite_writes(connection: sqlite3.Connection, row: dict[str, Any], heartbeat: Heartbeat) -> bool:
    """Touch, claim and (when due) write history, inside the caller's transaction; False when the
    state row was not touched."""
    if connection.execute(TOUCH_SQL, row).rowcount == 1:
        connection.execute(CLAIM_SQL, row)
        return True
    if connection.execute(TOUCH_DUE_SQL, row).rowcount == 1:
        connection.execute(CLAIM_SQL, row)
        connection.execute(HISTORY_SQL, row | {"payload": json.dumps(heartbeat.model_dump(mode="json"))})
        return True
    return False


def _record_change(session: Session, *, station_id: str, heartbeat: Heartbeat, digest: str, now: datetime,
                   offline_after: int, depth_limit: int, age_limit: int) -> list[dict[str, Any]]:
    state = session.get(StationState, station_id)
    assert state is not None
    notes: list[dict[str, Any]] = []
    was_online = state.last_seen is not None and state.last_seen >= now - timedelta(seconds=offline_after)
    previous_service = state.service_state
    _update_state(state, heartbeat, now)
    state.digest, state.history_at = digest, now
    # One query for every component; held here so the upserts below find them in the session
    # (its identity map only keeps objects someone references).
    loaded = session.scalars(select(ComponentState).where(ComponentState.station_id == station_id)).all()
    for component in heartbeat.components:
        upsert_component(session, station_id=station_id, report=component.model_dump(), now=now)
    session.add(HeartbeatRecord(station_id=station_id, received_at=now,
                                payload=heartbeat.model_dump(mode="json")))
    alerts.set_alert(session, station_id=station_id, kind=alerts.OFFLINE, active=False, detail="",
                     now=now, notes=notes)
    alerts.evaluate_printer(session, station_id=station_id, now=now, notes=notes)
    alerts.evaluate_station_health(session, station_id=station_id, now=now, notes=notes,
                                   components=[c.model_dump() for c in heartbeat.components])
    alerts.evaluate_outbox(session, state=state, depth_limit=depth_limit, age_limit=age_limit, now=now,
                           notes=notes)
    del loaded
    if not was_online or previous_service != state.service_state:
        notes.append({"type": "station.state", "station_id": station_id, "online": True,
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


def upsert_component(session: Session, *, station_id: str, report: dict[str, Any], now: datetime) -> None:
    """Record a component's reported status."""
    row = session.get(ComponentState, (station_id, str(report["id"])))
    if row is None:
        row = ComponentState(station_id=station_id, component_id=str(report["id"])[:32], changed_at=now)
        session.add(row)
    changed = (row.state, row.code) != (report["state"], report["code"])
    row.kind = str(report.get("kind", ""))[:32]
    row.state, row.code = str(report["state"]), str(report["code"])
    row.detail, row.simulated = str(report.get("detail", ""))[:255], bool(report.get("simulated", False))
    if changed:
        row.changed_at = now
