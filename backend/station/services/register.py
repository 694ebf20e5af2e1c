"""The community register as the station keeps it: import (all or nothing) and look-ups."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from backend.shared.catalog import ResidentFacts
from backend.shared.privacy import IdProtector, mask_id_number
from backend.shared.register_file import RegisterFile

from ..db.models import Resident
from ..db.session import write_transaction


@dataclass(frozen=True)
class ImportReport:
    imported: int
    rejected: list[dict[str, object]]

    @property
    def ok(self) -> bool:
        return not self.rejected


def replace_register(factory: sessionmaker[Session], protector: IdProtector, parsed: RegisterFile,
                     *, now: datetime) -> ImportReport:
    """Replace the register with a file's rows, or change nothing if any row was rejected."""
    if not parsed.ok:
        return ImportReport(0, [r.as_dict() for r in parsed.rejected])
    with write_transaction(factory) as session:
        session.execute(delete(Resident))
        for row in parsed.rows:
            session.add(Resident(
                id_hash=protector.lookup_hash(row.id_number), id_cipher=protector.encrypt(row.id_number),
                id_masked=mask_id_number(row.id_number), name=row.name, sex=row.sex,
                birth_date=row.birth_date,
                building=row.building, unit=row.unit, room=row.room, household=row.household,
                registered_since=row.since, status=row.status, updated_at=now))
    return ImportReport(len(parsed.rows), [])


def find_by_hash(session: Session, id_hash: str) -> Resident | None:
    return session.scalar(select(Resident).where(Resident.id_hash == id_hash))


def register_size(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Resident)) or 0


def facts_of(resident: Resident | None) -> ResidentFacts:
    """Return what eligibility rules may read about a resident (or about nobody)."""
    if resident is None:
        return ResidentFacts(registered=False)
    return ResidentFacts(registered=True, status=resident.status,
                         registered_since=resident.registered_since, birth_date=resident.birth_date)
