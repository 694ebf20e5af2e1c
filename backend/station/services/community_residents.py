"""Who a resident is in the community register, for community life: their compound (from their
building), their household's keyed hash (a support counts once per household, and only the hash
is kept) and their age."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.shared.community.compounds import Compound, compound_of_building
from backend.shared.privacy import IdProtector

from ..db.models import Resident
from .sessions import Identity


@dataclass(frozen=True)
class Member:
    """A registered resident as community life needs them (no ID number, no name)."""

    compound: Compound | None
    household_hash: str
    birth_date: date | None
    building: str


def member(
    session: Session, identity: Identity, *, community_code: str, protector: IdProtector
) -> Member | None:
    """The identified resident in the register (active), or None when they are not in it."""
    resident = session.scalar(
        select(Resident).where(Resident.id_hash == identity.id_hash, Resident.status == "active")
    )
    if resident is None:
        return None
    household = protector.lookup_hash(f"household:{community_code}:{resident.household}")
    return Member(
        compound=compound_of_building(community_code, resident.building),
        household_hash=household,
        birth_date=resident.birth_date or identity.birth_date,
        building=resident.building,
    )


def age_on(born: date | None, day: date) -> int | None:
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def masked_name(name: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧***: enough for a roster, not a full name."""
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""
