"""Api keys of Open311 clients: issued by staff for a unit, shown once, stored as SHA-256 only,
revocable. A forged, revoked or malformed key is refused the same way."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.shared.errors import AppError, define

from ...db.ticket_models import Open311Key
from .access import Actor
from .tree import TicketTree

PREFIX = "o311_"
KEY_NOT_FOUND = define("open311.key_not_found", 404, "没有找到这个接口密钥。", "No such api key.")


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue(session: Session, *, name: str, org_code: str, by: str, now: datetime) -> tuple[str, Open311Key]:
    """Make a key for a client acting for a unit; return it (shown once) and its record."""
    key = PREFIX + secrets.token_urlsafe(24)
    row = Open311Key(key_hash=key_digest(key), prefix=key[:12], name=name, org_code=org_code,
                     created_by=by, created_at=now)
    session.add(row)
    session.flush()
    return key, row


def revoke(session: Session, *, key_id: int, units: list[str], now: datetime) -> Open311Key:
    """Revoke a key of a unit the revoker may see (revoking twice changes nothing)."""
    row = session.get(Open311Key, key_id)
    if row is None or row.org_code not in units:
        raise AppError(KEY_NOT_FOUND)
    if row.revoked_at is None:
        row.revoked_at = now
    return row


def actor_for(session: Session, key: str, now: datetime) -> Actor | None:
    """The actor a live key stands for, or None for a forged, revoked or malformed key."""
    if not key.startswith(PREFIX) or len(key) > 100:
        return None
    row = session.scalar(select(Open311Key).where(Open311Key.key_hash == key_digest(key)))
    if row is None or row.revoked_at is not None:
        return None
    row.last_used_at = now
    return Actor(f"api:{row.name}", "api", row.org_code, TicketTree(session).path(row.org_code), "staff")


def listing(session: Session, units: list[str]) -> list[dict[str, Any]]:
    rows = session.scalars(select(Open311Key).where(Open311Key.org_code.in_(units)).order_by(Open311Key.id))
    return [view(r) for r in rows]


def view(row: Open311Key) -> dict[str, Any]:
    return {"id": row.id, "prefix": row.prefix, "name": row.name, "org_code": row.org_code,
            "created_by": row.created_by, "created_at": row.created_at.isoformat(),
            "revoked_at": row.revoked_at.isoformat() if row.revoked_at else None,
            "last_used_at": row.last_used_at.isoformat() if row.last_used_at else None}
