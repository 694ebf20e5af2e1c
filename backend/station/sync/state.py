"""The station's small sync values (cursor, suspension, catalog, last success) in ``sync_state``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ..db.models import OutboxEvent, SyncState

CURSOR = "cursor"
SUSPENDED = "suspended"  # {"reason": str, "maintenance": bool} or None
CATALOG = "catalog"
TRUST = "trust"
LAST_SYNC = "last_sync_ok"  # ISO time of the last exchange the platform answered
KEYS_SENT = "certificate_keys_sent"  # the certificate-key JWKS the platform last accepted
IDENTITY = "identity_keys"  # the platform's identity JWKS (resident QR codes)
RELEASE_KEYS = "release_keys"  # the last release-key rotation statement (station/updates)


def get(session: Session, key: str, default: Any = None) -> Any:
    row = session.get(SyncState, key)
    return default if row is None else row.value


def put(session: Session, key: str, value: Any, *, now: datetime) -> None:
    """Set a value inside the caller's transaction."""
    row = session.get(SyncState, key)
    if row is None:
        session.add(SyncState(key=key, value=value, updated_at=now))
    else:
        row.value, row.updated_at = value, now


def forget(session: Session, key: str) -> None:
    session.execute(delete(SyncState).where(SyncState.key == key))


def outbox_backlog(session: Session, now: datetime) -> tuple[int, float]:
    """Return how many events are unsent and the age in seconds of the oldest."""
    depth, oldest = session.execute(select(func.count(), func.min(OutboxEvent.created_at))
                                    .where(OutboxEvent.sent_at.is_(None))).one()
    if not depth or oldest is None:
        return 0, 0.0
    return int(depth), max(0.0, (now - oldest).total_seconds())  # min() keeps the UTC type
