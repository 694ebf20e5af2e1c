"""The audit log: every staff action, with who, what, when, the target, and the organisation
unit it belongs to — a user reads only the entries of their own unit and the units below it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from ..db.area_models import OrgUnit
from ..db.staff_models import AuditEntry, User
from . import org

UNKNOWN_USER = "unknown user"  # the actor of a sign-in with a name that is no account


def record(session: Session, *, actor: str, action: str, target: str, at: datetime,
           detail: dict[str, Any] | None = None, source: str = "", org_code: str | None = None) -> None:
    """Add an entry inside the caller's transaction, so the action and its record commit together.

    ``org_code`` is the unit the entry belongs to: by default the acting user's unit (staff act
    only within it, so its readers are those at or above both the actor and the target); for an
    actor that is no user (a program, an Open311 client), the top of the tree unless given."""
    if org_code is None:
        org_code = session.scalar(select(User.org_code).where(User.username == actor))
    session.add(AuditEntry(actor=actor, action=action, target=target, at=at, detail=detail or {},
                           source=source, org_code=org_code))


def recent(session: Session, *, viewer_org: str, limit: int = 100,
           target: str | None = None) -> list[dict[str, Any]]:
    """The latest entries a user of ``viewer_org`` may read: those of their unit and below (and
    entries of no unit, for users of the top unit only)."""
    top = org.unit(session, viewer_org)
    area = select(OrgUnit.code).where(OrgUnit.path.startswith(top.path))
    scope: ColumnElement[bool] = AuditEntry.org_code.in_(area)
    if top.parent_code is None:
        scope = or_(scope, AuditEntry.org_code.is_(None))
    query = select(AuditEntry).where(scope).order_by(AuditEntry.id.desc()).limit(limit)
    if target is not None:
        query = query.where(AuditEntry.target == target)
    return [{"id": e.id, "at": e.at.isoformat(), "actor": e.actor, "action": e.action,
             "target": e.target, "detail": e.detail, "org_code": e.org_code}
            for e in session.scalars(query)]
