"""The organisation tree (city → district → street → community → grid) and who sees what."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.shared.district import District
from backend.shared.errors import AppError

from ..db.area_models import OrgUnit
from .errors import NOT_A_COMMUNITY, ORG_UNKNOWN

LEVELS = ("city", "district", "street", "community", "grid")


def load_tree(session: Session, tree: dict[str, Any]) -> int:
    """Add the units of a community.yaml ``tree`` that are missing; return how many were added."""
    added, parent = 0, None
    for level in LEVELS[:4]:
        node = tree[level]
        added += _ensure(session, code=str(node["code"]), level=level, parent=parent,
                         zh=node["zh"], en=node["en"], details={})
        parent = str(node["code"])
    for grid in tree.get("grids", []):
        added += _ensure(session, code=str(grid["code"]), level="grid", parent=parent,
                         zh=grid["zh"], en=grid["en"], details={"buildings": grid.get("buildings", [])})
    return added


def load_district(session: Session, district: District) -> int:
    """Add the units of the seed district file that are missing; return how many were added.

    The file holds 12-digit statistical codes for every level; the tree keeps the project's
    short codes above the community (city and district 6 digits, street 9), as the ID number
    address codes and the ticket numbers use them."""
    added = _ensure(session, code=district.city.code[:6], level="city", parent=None,
                    zh=district.city.zh, en=district.city.en, details={})
    added += _ensure(session, code=district.district.code[:6], level="district",
                     parent=district.city.code[:6], zh=district.district.zh, en=district.district.en,
                     details={"province": {"code": district.province.code[:6], "zh": district.province.zh,
                                           "en": district.province.en}})
    for street in district.streets:
        added += _ensure(session, code=street.code[:9], level="street", parent=district.district.code[:6],
                         zh=street.zh, en=street.en, details={"demo_code": street.demo_code})
        for community in street.children:
            added += _ensure(session, code=community.code, level="community", parent=street.code[:9],
                             zh=community.zh, en=community.en, details={"demo_code": community.demo_code})
            for grid in community.children:
                added += _ensure(session, code=grid.code, level="grid", parent=community.code,
                                 zh=grid.zh, en=grid.en, details={"buildings": list(grid.buildings)})
    return added


def _ensure(session: Session, *, code: str, level: str, parent: str | None, zh: str, en: str,
            details: dict[str, Any]) -> int:
    if session.get(OrgUnit, code) is not None:
        return 0
    parent_path = session.get(OrgUnit, parent).path if parent else "/"  # type: ignore[union-attr]
    session.add(OrgUnit(code=code, level=level, parent_code=parent, name_zh=zh, name_en=en,
                        path=f"{parent_path}{code}/", details=details))
    session.flush()
    return 1


def unit(session: Session, code: str) -> OrgUnit:
    """Return a unit or raise org.unknown."""
    found = session.get(OrgUnit, code)
    if found is None:
        raise AppError(ORG_UNKNOWN, detail=code)
    return found


def names(session: Session, codes: list[str]) -> dict[str, dict[str, str]]:
    """The zh and en names of the units among ``codes`` that exist, in one query."""
    units = session.scalars(select(OrgUnit).where(OrgUnit.code.in_(codes)))
    return {u.code: {"zh": u.name_zh, "en": u.name_en} for u in units}


def community(session: Session, code: str) -> OrgUnit:
    """Return a community unit or raise."""
    found = unit(session, code)
    if found.level != "community":
        raise AppError(NOT_A_COMMUNITY, detail=code)
    return found


def ancestor(session: Session, code: str, level: str) -> OrgUnit | None:
    """Return the unit at ``level`` above (or at) a unit."""
    current = session.get(OrgUnit, code)
    while current is not None and current.level != level:
        current = session.get(OrgUnit, current.parent_code) if current.parent_code else None
    return current


def communities_under(session: Session, org_code: str) -> list[str]:
    """Return the codes of every community at or under a unit (a grid sees its community)."""
    top = unit(session, org_code)
    if top.level == "grid" and top.parent_code:
        top = unit(session, top.parent_code)
    query = select(OrgUnit.code).where(OrgUnit.level == "community",
                                       OrgUnit.path.startswith(top.path))
    return list(session.scalars(query))


def tree_view(session: Session, org_code: str) -> list[dict[str, Any]]:
    """Return the units at or under a unit, flat, parents first."""
    top = unit(session, org_code)
    units = session.scalars(select(OrgUnit).where(OrgUnit.path.startswith(top.path))
                            .order_by(OrgUnit.path))
    return [{"code": u.code, "level": u.level, "parent": u.parent_code,
             "name": {"zh": u.name_zh, "en": u.name_en}, "details": u.details} for u in units]
