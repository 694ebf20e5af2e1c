"""Sending the outbox: unsent events in seq order, in bounded batches; an event is marked sent
only when the platform has acknowledged its seq, so nothing is lost however long it is away."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from backend.shared.protocol import MAX_BATCH_BYTES, EventBatch, OutboxEventIn

from ..db.models import OutboxEvent
from ..db.session import write_transaction
from . import state
from .client import PlatformClient


@dataclass(frozen=True)
class SendResult:
    sent: int  # events in the batch
    acked_seq: int  # the platform's highest applied seq (0 when nothing was sent)
    marked: int  # events newly marked sent

    @property
    def full(self) -> bool:
        return self.sent > 0 and self.marked == self.sent


def next_batch(session: Session, limit: int) -> list[OutboxEvent]:
    """The oldest unsent events, in seq order."""
    return list(session.scalars(select(OutboxEvent).where(OutboxEvent.sent_at.is_(None))
                                .order_by(OutboxEvent.seq).limit(limit)))


def send_batch(factory: sessionmaker[Session], client: PlatformClient, *, batch_size: int,
               now: datetime) -> SendResult:
    """Send one batch; mark as sent every event up to the acknowledged seq."""
    with factory() as session:
        events = next_batch(session, batch_size)
    if not events:
        return SendResult(0, 0, 0)
    batch = EventBatch(station_id=client.station_id, events=within_bytes([
        OutboxEventIn(seq=e.seq, type=e.event_type, aggregate_id=e.aggregate_id[:64], payload=e.payload,
                      created_at=e.created_at) for e in events]))
    ack = client.post_events(batch)
    marked = mark_sent(factory, up_to=ack.acked_seq, now=now)
    return SendResult(len(batch.events), ack.acked_seq, marked)


def within_bytes(events: list[OutboxEventIn], budget: int = MAX_BATCH_BYTES // 2) -> list[OutboxEventIn]:
    """The first events whose JSON fits the budget (always the first one): the platform refuses a
    body over MAX_BATCH_BYTES, and a batch it always refuses would stall the outbox. Half the limit
    leaves room for the envelope; a few screenshots (about 0.6 MB each) are the largest events."""
    kept: list[OutboxEventIn] = []
    used = 0
    for event in events:
        used += len(event.model_dump_json().encode())
        if kept and used > budget:
            break
        kept.append(event)
    return kept


def mark_sent(factory: sessionmaker[Session], *, up_to: int, now: datetime) -> int:
    """Mark unsent events with seq <= up_to as sent; record the successful exchange."""
    with write_transaction(factory) as session:
        result = session.execute(update(OutboxEvent)
                                 .where(OutboxEvent.sent_at.is_(None), OutboxEvent.seq <= up_to)
                                 .values(sent_at=now))
        state.put(session, state.LAST_SYNC, now.isoformat(), now=now)
    return int(getattr(result, "rowcount", 0) or 0)
