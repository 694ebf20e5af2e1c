"""The outbox: every fact the platform must learn is added in the same transaction as the fact,
numbered by SQLite's AUTOINCREMENT, so a crash can lose neither the fact nor its report."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.shared.protocol import EventType

from ..db.models import OutboxEvent


def record(session: Session, *, event_type: EventType, aggregate_id: str, payload: dict[str, Any],
           at: datetime) -> OutboxEvent:
    """Add an event to the outbox inside the caller's transaction (a type the platform applies)."""
    event = OutboxEvent(event_type=event_type, aggregate_id=aggregate_id, payload=payload,
                        created_at=at)
    session.add(event)
    return event


def pending_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(OutboxEvent)
                          .where(OutboxEvent.sent_at.is_(None))) or 0
