"""The audit log: every staff action, with who, what, when and the target."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db.models import AuditEntry


def record(session: Session, *, actor: str, action: str, target: str, at: datetime,
           detail: dict[str, Any] | None = None, source: str = "") -> None:
    """Add an entry inside the caller's transaction, so the action and its record commit together."""
    session.add(AuditEntry(actor=actor, action=action, target=target, at=at, detail=detail or {},
                           source=source))


def recent(session: Session, *, limit: int = 100, target: str | None = None) -> list[dict[str, Any]]:
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if target is not None:
        query = query.where(AuditEntry.target == target)
    return [{"id": e.id, "at": e.at.isoformat(), "actor": e.actor, "action": e.action,
             "target": e.target, "detail": e.detail} for e in session.scalars(query)]
