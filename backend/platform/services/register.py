"""The community register on the platform: import a CSV/XLSX whole or not at all, keep keyed
hashes and masked numbers only, and publish each difference to the community's stations."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.shared.errors import AppError
from backend.shared.privacy import IdProtector, mask_id_number
from backend.shared.protocol import ChangeKind, RegisterEntry
from backend.shared.register_file import RegisterFile, RegisterRow
from backend.shared.sealed import protector_of

from ..db.register_models import Resident
from . import changes, org
from .errors import REGISTER_REJECTED

FIELDS = ("id_masked", "name", "sex", "birth_date", "building", "unit", "room", "household", "since",
          "status")


def import_register(session: Session, *, community_code: str, parsed: RegisterFile,
                    protector: IdProtector, now: datetime) -> dict[str, Any]:
    """Replace a community's register with a validated file at once; publish what changed.
    (Staff go through a preview and a confirmation: ``register_imports``.)"""
    org.community(session, community_code)
    if not parsed.ok:
        raise AppError(REGISTER_REJECTED, rejected=[r.as_dict() for r in parsed.rejected[:200]],
                       rejected_count=len(parsed.rejected))
    return apply_rows(session, community_code=community_code, incoming=incoming_rows(parsed, protector),
                      now=now)


def incoming_rows(parsed: RegisterFile, protector: IdProtector) -> dict[str, dict[str, Any]]:
    """The file's residents by keyed hash, as stored: masked number, never the number itself."""
    return {protector.lookup_hash(row.id_number): resident_values(row) for row in parsed.rows}


def resident_values(row: RegisterRow) -> dict[str, Any]:
    return {"id_masked": mask_id_number(row.id_number), "name": row.name, "sex": row.sex,
            "birth_date": row.birth_date, "building": row.building, "unit": row.unit,
            "room": row.room, "household": row.household, "since": row.since, "status": row.status}


def current_rows(session: Session, community_code: str) -> dict[str, Resident]:
    return {r.id_hash: r for r in session.scalars(
        select(Resident).where(Resident.community_code == community_code))}


def apply_rows(session: Session, *, community_code: str, incoming: dict[str, dict[str, Any]],
               now: datetime) -> dict[str, Any]:
    """Make the register exactly ``incoming`` (hash -> values); publish each difference."""
    current = current_rows(session, community_code)
    changed = sum(_upsert(session, community_code, h, values, current.get(h), now)
                  for h, values in incoming.items())
    for id_hash in current.keys() - incoming.keys():
        entry = _entry(current[id_hash]).model_copy(update={"status": "removed"})
        session.delete(current[id_hash])
        _publish(session, community_code, entry, now)
    return {"community_code": community_code, "imported": len(incoming), "changed": changed,
            "removed": len(current.keys() - incoming.keys()), "rejected": []}


def is_unchanged(resident: Resident, values: dict[str, Any]) -> bool:
    return all(getattr(resident, k) == v for k, v in values.items())


def _upsert(session: Session, community_code: str, id_hash: str, values: dict[str, Any],
            resident: Resident | None, now: datetime) -> int:
    if resident is not None and is_unchanged(resident, values):
        return 0
    if resident is None:
        resident = Resident(community_code=community_code, id_hash=id_hash, **values, updated_at=now)
        session.add(resident)
    else:
        for name, value in values.items():
            setattr(resident, name, value)
        resident.updated_at = now
    _publish(session, community_code, _entry(resident), now)
    return 1


def _entry(resident: Resident) -> RegisterEntry:
    values = {k: getattr(resident, k) for k in FIELDS}
    return RegisterEntry(id_hash=resident.id_hash,
                         **{k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()})


def publish_entry(session: Session, resident: Resident, now: datetime) -> None:
    """Publish a resident's entry as it is to the community's stations."""
    _publish(session, resident.community_code, _entry(resident), now)


def _publish(session: Session, community_code: str, entry: RegisterEntry, now: datetime) -> None:
    # Stored sealed like the resident's row; changes.page opens it for the station.
    payload = entry.model_dump()
    payload["birth_date"] = protector_of(session).seal_date_text(date.fromisoformat(entry.birth_date))
    changes.publish(session, kind=ChangeKind.REGISTER, scope=changes.community_scope(community_code),
                    key=entry.id_hash, payload=payload, now=now, supersede=True)



def register_size(session: Session, community_code: str) -> int:
    return session.scalar(select(func.count()).select_from(Resident)
                          .where(Resident.community_code == community_code)) or 0
