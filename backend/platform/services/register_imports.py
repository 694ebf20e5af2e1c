"""Replacing a community register safely: preview, confirm, keep the old one, restore it.

An uploaded file never replaces the register at once. It becomes a pending import that says what
it would do — residents added, changed, removed, unchanged, with a few masked samples of each —
and waits for staff to confirm. An import that would remove more than a set share of the register
(``removal_share``) also needs the removal confirmed on its own. Before an import is applied, the
register as it was is kept as a version, and any version can be restored the same way (preview,
confirm). Pending imports expire; rows hold keyed hashes and masked numbers only.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.shared.errors import AppError
from backend.shared.privacy import IdProtector
from backend.shared.register_file import RegisterFile
from backend.shared.sealed import protector_of

from ..db.register_models import RegisterImport, RegisterVersion, Resident
from . import org
from . import register as register_service
from .errors import (
    REGISTER_CONFIRM_REMOVAL,
    REGISTER_IMPORT_CLOSED,
    REGISTER_IMPORT_NOT_FOUND,
    REGISTER_REJECTED,
    REGISTER_VERSION_NOT_FOUND,
)

PENDING_FOR = timedelta(minutes=30)
SAMPLES = 5
DATES = ("since",)  # the birth date is sealed (see _stored)
SHOWN = ("id_masked", "name", "building", "unit", "room", "status")


def preview_file(session: Session, *, community_code: str, parsed: RegisterFile, source: str,
                 protector: IdProtector, actor: str, now: datetime) -> RegisterImport:
    """Validate a register file and keep it, unapplied, with what it would change."""
    org.community(session, community_code)
    if not parsed.ok:
        raise AppError(REGISTER_REJECTED, rejected=[r.as_dict() for r in parsed.rejected[:200]],
                       rejected_count=len(parsed.rejected), encoding=parsed.encoding)
    incoming = register_service.incoming_rows(parsed, protector)
    return _pending(session, community_code=community_code, incoming=incoming, kind="file", source=source,
                    encoding=parsed.encoding, actor=actor, now=now)


def preview_restore(session: Session, *, community_code: str, version_id: int, actor: str,
                    now: datetime) -> RegisterImport:
    """A pending import that would bring back a kept version of the register."""
    version = session.get(RegisterVersion, version_id)
    if version is None or version.community_code != community_code:
        raise AppError(REGISTER_VERSION_NOT_FOUND, detail=str(version_id))
    incoming = {row["id_hash"]: _values(session, row) for row in version.rows}
    return _pending(session, community_code=community_code, incoming=incoming, kind="restore",
                    source=f"version {version.id}", encoding="", actor=actor, now=now)


def confirm(session: Session, *, community_code: str, import_id: str, confirm_removal: bool,
            removal_share: float, actor: str, now: datetime) -> dict[str, Any]:
    """Apply a pending import: keep the register as it was, then replace it; return the report."""
    pending = _open_import(session, community_code, import_id, now)
    if needs_removal_confirmation(pending, removal_share) and not confirm_removal:
        raise AppError(REGISTER_CONFIRM_REMOVAL, removed=pending.removed, current=pending.current)
    version = keep_version(session, community_code=community_code, actor=actor, now=now,
                           reason=f"before {pending.kind} {pending.source}".strip())
    incoming = {row["id_hash"]: _values(session, row) for row in pending.rows}
    report = register_service.apply_rows(session, community_code=community_code, incoming=incoming, now=now)
    pending.state, pending.decided_by, pending.decided_at = "applied", actor, now
    pending.version_id = version.id
    return report | {"import_id": pending.id, "kept_version": version.id}


def cancel(session: Session, *, community_code: str, import_id: str, actor: str, now: datetime) -> None:
    pending = _open_import(session, community_code, import_id, now)
    pending.state, pending.decided_by, pending.decided_at = "cancelled", actor, now


def needs_removal_confirmation(pending: RegisterImport, removal_share: float) -> bool:
    return pending.removed > 0 and pending.removed > removal_share * max(pending.current, 1)


def keep_version(session: Session, *, community_code: str, actor: str, now: datetime,
                 reason: str) -> RegisterVersion:
    rows = [_stored(session, h, _resident_values(r)) for h, r in
            register_service.current_rows(session, community_code).items()]
    version = RegisterVersion(community_code=community_code, created_at=now, created_by=actor,
                              reason=reason[:255], count=len(rows), rows=rows)
    session.add(version)
    session.flush()
    return version


def versions(session: Session, community_code: str, limit: int = 20) -> list[dict[str, Any]]:
    """The kept versions, newest first (without their rows)."""
    found = session.scalars(select(RegisterVersion).where(RegisterVersion.community_code == community_code)
                            .order_by(RegisterVersion.id.desc()).limit(limit))
    return [{"id": v.id, "created_at": v.created_at.isoformat(), "created_by": v.created_by,
             "reason": v.reason, "count": v.count} for v in found]


def view(session: Session, pending: RegisterImport, removal_share: float) -> dict[str, Any]:
    """What staff see before confirming: counts, masked samples, whether removal needs its own yes."""
    return {"id": pending.id, "community_code": pending.community_code, "kind": pending.kind,
            "source": pending.source, "encoding": pending.encoding, "state": pending.state,
            "added": pending.added, "changed": pending.changed, "removed": pending.removed,
            "unchanged": pending.unchanged, "current": pending.current,
            "expires_at": pending.expires_at.isoformat(),
            "needs_removal_confirmation": needs_removal_confirmation(pending, removal_share),
            "samples": _samples(session, pending) if pending.state == "pending" else {}}


def get_import(session: Session, community_code: str, import_id: str) -> RegisterImport:
    pending = session.get(RegisterImport, import_id)
    if pending is None or pending.community_code != community_code:
        raise AppError(REGISTER_IMPORT_NOT_FOUND, detail=import_id)
    return pending


def _pending(session: Session, *, community_code: str, incoming: dict[str, dict[str, Any]], kind: str,
             source: str, encoding: str, actor: str, now: datetime) -> RegisterImport:
    current = register_service.current_rows(session, community_code)
    added, changed, removed = _differences(current, incoming)
    pending = RegisterImport(
        id=str(uuid.uuid4()), community_code=community_code, kind=kind, source=source[:255],
        encoding=encoding, state="pending", rows=[_stored(session, h, v) for h, v in incoming.items()],
        added=len(added), changed=len(changed), removed=len(removed),
        unchanged=len(incoming) - len(added) - len(changed), current=len(current), created_by=actor,
        created_at=now, expires_at=now + PENDING_FOR, decided_by="")
    session.add(pending)
    session.flush()
    return pending


def _open_import(session: Session, community_code: str, import_id: str, now: datetime) -> RegisterImport:
    pending = get_import(session, community_code, import_id)
    if pending.state != "pending" or pending.expires_at <= now:
        why = pending.state if pending.state != "pending" else "expired"
        raise AppError(REGISTER_IMPORT_CLOSED, detail=why)
    return pending


def _differences(current: dict[str, Resident], incoming: dict[str, dict[str, Any]]
                 ) -> tuple[list[str], list[str], list[str]]:
    added = [h for h in incoming if h not in current]
    changed = [h for h in incoming
               if h in current and not register_service.is_unchanged(current[h], incoming[h])]
    return added, changed, [h for h in current if h not in incoming]


def _samples(session: Session, pending: RegisterImport) -> dict[str, list[dict[str, str]]]:
    """A few residents of each kind of difference, masked, against the register as it is now."""
    current = register_service.current_rows(session, pending.community_code)
    incoming = {row["id_hash"]: _values(session, row) for row in pending.rows}
    added, changed, removed = _differences(current, incoming)
    return {"added": [_shown(incoming[h]) for h in added[:SAMPLES]],
            "changed": [_shown(incoming[h]) for h in changed[:SAMPLES]],
            "removed": [_shown(_resident_values(current[h])) for h in removed[:SAMPLES]]}


def _resident_values(resident: Resident) -> dict[str, Any]:
    return {k: getattr(resident, k) for k in register_service.FIELDS}


def _stored(session: Session, id_hash: str, values: dict[str, Any]) -> dict[str, Any]:
    """A row of a kept version or a pending import as JSON, the birth date sealed."""
    row = {"id_hash": id_hash, **{k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}}
    row["birth_date"] = protector_of(session).seal_date_text(values["birth_date"])
    return row


def _values(session: Session, row: dict[str, Any]) -> dict[str, Any]:
    opened = {k: date.fromisoformat(row[k]) if k in DATES else row[k] for k in register_service.FIELDS
              if k != "birth_date"}
    return opened | {"birth_date": protector_of(session).open_date_text(row["birth_date"])}


def _shown(values: dict[str, Any]) -> dict[str, str]:
    return {k: str(values[k]) for k in SHOWN}
