"""The volunteer register: compounds and their buildings, an uploaded CSV/XLSX applied whole or
not at all, volunteers added one by one, and every entry published to the community's stations
(keyed hash and mask; the station needs no ID number to recognise a volunteer's card)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.shared.district import DISTRICT_FILE
from backend.shared.errors import AppError
from backend.shared.privacy import IdProtector, mask_id_number
from backend.shared.volunteers.messages import VOLUNTEER, Lead, VolunteerEntry
from backend.shared.volunteers.register_file import VolunteerFile, VolunteerRow

from ...db.area_models import OrgUnit
from ...db.volunteer_models import Compound, Volunteer
from .. import changes
from .errors import VOLUNTEER_NOT_FOUND, VOLUNTEERS_REJECTED


def load_compounds(session: Session) -> int:
    """Add the compounds the seed district names (``compounds:`` under a community) that are missing."""
    raw: dict[str, Any] = yaml.safe_load(DISTRICT_FILE.read_text(encoding="utf-8"))
    added = 0
    for street in raw.get("streets") or []:
        for community in street.get("communities") or []:
            for c in community.get("compounds") or []:
                code = str(c["code"])
                known = session.get(OrgUnit, str(community["code"])) is not None
                if known and session.get(Compound, code) is None:
                    session.add(
                        Compound(
                            code=code,
                            community_code=str(community["code"]),
                            name_zh=str(c["zh"]),
                            name_en=str(c.get("en", "")),
                            buildings=[str(b) for b in c.get("buildings", [])],
                        )
                    )
                    added += 1
    return added


def compounds_of(session: Session, community_code: str) -> list[Compound]:
    return list(
        session.scalars(
            select(Compound).where(Compound.community_code == community_code).order_by(Compound.code)
        )
    )


def compound_buildings(session: Session, community_code: str) -> dict[str, set[str]]:
    """Compound code → its buildings, for validating a file."""
    return {c.code: set(c.buildings) for c in compounds_of(session, community_code)}


def import_file(
    session: Session, *, community_code: str, parsed: VolunteerFile, protector: IdProtector, now: datetime
) -> dict[str, Any]:
    """Add or update every volunteer of a validated file, or none (a bad row refuses the file)."""
    if not parsed.ok:
        raise AppError(
            VOLUNTEERS_REJECTED,
            rejected=[r.as_dict() for r in parsed.rejected[:200]],
            rejected_count=len(parsed.rejected),
            encoding=parsed.encoding,
        )
    added = updated = 0
    for row in parsed.rows:
        _, created = upsert(session, community_code=community_code, row=row, protector=protector, now=now)
        added, updated = added + created, updated + (not created)
    return {
        "community_code": community_code,
        "imported": len(parsed.rows),
        "added": added,
        "updated": updated,
        "rejected": [],
    }


def upsert(
    session: Session, *, community_code: str, row: VolunteerRow, protector: IdProtector, now: datetime
) -> tuple[Volunteer, bool]:
    """Add a volunteer or update the one with the same ID; publish the entry."""
    id_hash = protector.lookup_hash(row.id_number)
    volunteer = session.scalar(
        select(Volunteer).where(Volunteer.community_code == community_code, Volunteer.id_hash == id_hash)
    )
    created = volunteer is None
    if volunteer is None:
        volunteer = Volunteer(community_code=community_code, id_hash=id_hash, created_at=now)
        session.add(volunteer)
    volunteer.id_masked, volunteer.name = mask_id_number(row.id_number), row.name
    volunteer.employer, volunteer.compound_code = row.employer, row.compound
    volunteer.roles, volunteer.task_group, volunteer.active = list(row.roles), row.task_group, True
    volunteer.leads = [{"building": b, "unit": u} for b, u in row.leads]
    volunteer.updated_at = now
    session.flush()
    publish(session, volunteer, now)
    return volunteer, created


def set_active(
    session: Session, *, community_code: str, volunteer_id: int, active: bool, now: datetime
) -> Volunteer:
    volunteer = get(session, community_code, volunteer_id)
    volunteer.active, volunteer.updated_at = active, now
    publish(session, volunteer, now)
    return volunteer


def get(session: Session, community_code: str, volunteer_id: int) -> Volunteer:
    volunteer = session.get(Volunteer, volunteer_id)
    if volunteer is None or volunteer.community_code != community_code:
        raise AppError(VOLUNTEER_NOT_FOUND, detail=str(volunteer_id))
    return volunteer


def entry(volunteer: Volunteer) -> VolunteerEntry:
    return VolunteerEntry(
        id_hash=volunteer.id_hash,
        id_masked=volunteer.id_masked,
        name=volunteer.name,
        employer=volunteer.employer,
        compound=volunteer.compound_code,
        roles=list(volunteer.roles),
        leads=[Lead(**lead) for lead in volunteer.leads],
        task_group=volunteer.task_group,
        active=volunteer.active,
    )


def publish(session: Session, volunteer: Volunteer, now: datetime) -> None:
    changes.publish(
        session,
        kind=VOLUNTEER,
        scope=changes.community_scope(volunteer.community_code),
        key=volunteer.id_hash,
        payload=entry(volunteer).model_dump(mode="json"),
        now=now,
        supersede=True,
    )


def listing(session: Session, community_code: str) -> list[dict[str, Any]]:
    """The community's volunteers, masked."""
    rows = session.scalars(
        select(Volunteer)
        .where(Volunteer.community_code == community_code)
        .order_by(Volunteer.compound_code, Volunteer.name)
    )
    return [view(v) for v in rows]


def view(v: Volunteer) -> dict[str, Any]:
    return {
        "id": v.id,
        "id_masked": v.id_masked,
        "name": v.name,
        "employer": v.employer,
        "compound": v.compound_code,
        "roles": list(v.roles),
        "leads": list(v.leads),
        "task_group": v.task_group,
        "active": v.active,
    }


def by_hash(session: Session, community_code: str, id_hash: str) -> Volunteer | None:
    return session.scalar(
        select(Volunteer).where(Volunteer.community_code == community_code, Volunteer.id_hash == id_hash)
    )


def load_demo(session: Session, *, community_code: str, protector: IdProtector, now: datetime) -> None:
    """The demo's volunteer register (assets/register/demo_volunteers.csv), with the demo register."""
    import assets
    from backend.shared.volunteers.config import load_volunteer_config
    from backend.shared.volunteers.register_file import read_volunteers

    path = assets.path("register", "demo_volunteers.csv")
    parsed = read_volunteers(
        path.read_bytes(),
        path.name,
        config=load_volunteer_config(),
        compounds=compound_buildings(session, community_code),
    )
    import_file(session, community_code=community_code, parsed=parsed, protector=protector, now=now)
