"""Applying a station's outbox batch exactly once.

(station_id, seq) is unique and the station's last applied seq moves in the same transaction
as the events, under the station row's lock (SQLite: the write lock), so a batch sent twice —
say its acknowledgement was lost — applies once. A seq at or below the last applied one is a
duplicate unless it never arrived (a late event filling a gap: applied). A jump forward is
applied and the skipped range recorded as a gap for monitoring.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from backend.shared.protocol import BatchAck, EventBatch, OutboxEventIn, Rejection

from ..db.area_models import Station, StationEvent, SyncGap
from . import fleet_appliers, rollouts
from .applier_registry import ApplyContext, Registry, Rejected
from .certificates import certificate_appliers
from .community import appliers as community_appliers
from .tickets import ticket_appliers
from .volunteers import appliers as volunteer_appliers

# Every domain's appliers, one line each (a new domain: its module's ``APPLIERS`` here).
APPLIERS = Registry(
    fleet_appliers.APPLIERS,
    certificate_appliers.APPLIERS,
    ticket_appliers.APPLIERS,
    rollouts.APPLIERS,
    volunteer_appliers.APPLIERS,
    community_appliers.APPLIERS,
)


@dataclass
class _Tally:
    applied: int = 0
    duplicates: int = 0


def apply_batch(session: Session, *, station_id: str, batch: EventBatch, now: datetime,
                print_failure_alert_count: int = 2) -> tuple[BatchAck, list[dict[str, object]]]:
    """Apply a batch inside the caller's transaction; return the acknowledgement and live notes."""
    station = session.scalar(select(Station).where(Station.id == station_id).with_for_update())
    assert station is not None
    ctx = ApplyContext(session, station, now, print_failure_alert_count)
    events = _unique_in_order(batch.events)
    seen = _already_received(session, station, events)
    APPLIERS.prefetch(ctx, [e for e in events if e.seq not in seen])
    tally, rejected, gaps = _Tally(), list[Rejection](), list[tuple[int, int]]()
    received: list[dict[str, Any]] = []  # inserted in one executemany at the end, not object by object
    for event in events:
        if event.seq in seen:
            tally.duplicates += 1
            continue
        if event.seq > station.last_applied_seq + 1:
            gaps.append((station.last_applied_seq + 1, event.seq - 1))
            session.add(SyncGap(station_id=station.id, first_seq=gaps[-1][0], last_seq=gaps[-1][1],
                                detected_at=now))
        outcome, reason = _apply_one(ctx, event)
        if outcome == "rejected":
            rejected.append(Rejection(seq=event.seq, reason=reason))
        received.append({"station_id": station.id, "seq": event.seq, "type": event.type,
                         "aggregate_id": event.aggregate_id, "payload": event.payload,
                         "created_at": event.created_at, "received_at": now, "outcome": outcome,
                         "reason": reason[:128]})
        station.last_applied_seq = max(station.last_applied_seq, event.seq)
        tally.applied += 1
    APPLIERS.flush(ctx)
    if received:
        session.execute(insert(StationEvent), received)
    station.events_applied += tally.applied
    station.duplicates += tally.duplicates
    station.gaps += len(gaps)
    ack = BatchAck(acked_seq=station.last_applied_seq, applied=tally.applied,
                   duplicates=tally.duplicates, rejected=rejected, gaps=gaps)
    if tally.applied:
        ctx.notes.append({"type": "station.events", "station_id": station.id,
                          "acked_seq": station.last_applied_seq, "applied": tally.applied})
    return ack, list(ctx.notes)


def _apply_one(ctx: ApplyContext, event: OutboxEventIn) -> tuple[str, str]:
    applier = APPLIERS.get(event.type)
    if applier is None:
        return "ignored", "no applier for this type yet"
    APPLIERS.flush(ctx, before=event.type)  # other appliers read what was held back: it must be written
    try:
        applier(ctx, event)
    except Rejected as verdict:
        return "rejected", verdict.reason
    return "applied", ""


def _unique_in_order(events: list[OutboxEventIn]) -> list[OutboxEventIn]:
    by_seq: dict[int, OutboxEventIn] = {}
    for event in events:
        by_seq.setdefault(event.seq, event)
    return [by_seq[s] for s in sorted(by_seq)]


def _already_received(session: Session, station: Station, events: list[OutboxEventIn]) -> set[int]:
    old = [e.seq for e in events if e.seq <= station.last_applied_seq]
    if not old:
        return set()
    query = select(StationEvent.seq).where(StationEvent.station_id == station.id,
                                           StationEvent.seq.in_(old))
    return set(session.scalars(query))
