"""The notification outbox: one row written in the transaction that opens, resolves or escalates
an alert (or warns of a ticket deadline). A unique dedup id makes a second write a no-op, so two
workers noticing the same thing enqueue it once."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ...db.notify_models import NotificationEvent


def enqueue(session: Session, *, dedup_id: str, kind: str, now: datetime, alert_id: int | None = None,
            channel_id: int | None = None, area_code: str = "",
            payload: dict[str, Any] | None = None) -> bool:
    """Add an outbox row unless one with this dedup id exists; True when added."""
    event = NotificationEvent(dedup_id=dedup_id, kind=kind, alert_id=alert_id, channel_id=channel_id,
                              area_code=area_code, payload=payload or {}, state="pending", created_at=now)
    try:
        with session.begin_nested():
            session.add(event)
            session.flush()
    except IntegrityError:
        return False
    return True


def alert_changed(session: Session, *, alert_id: int, state: str, now: datetime) -> None:
    """The alert opened (``firing``) or cleared (``resolved``)."""
    enqueue(session, dedup_id=f"alert:{alert_id}:{state}", kind=state, alert_id=alert_id, now=now)
