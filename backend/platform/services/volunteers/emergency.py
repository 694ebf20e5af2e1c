"""Emergency mode (战时): staff switch an area — a compound, a set of buildings, a whole community —
into emergency mode with a reason and a message, and back. Every switch is audited and published
to the community's stations as a change (the down-sync they already pull every few seconds);
an ended mode keeps everything for the after-action report."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.shared.errors import AppError
from backend.shared.volunteers.config import VolunteerConfig
from backend.shared.volunteers.messages import EMERGENCY, EmergencyArea
from backend.shared.volunteers.notice_image import described

from ...db.volunteer_models import Compound, EmergencyMode
from .. import audit, changes, org
from .errors import (
    BAD_BUILDING,
    COMPOUND_NOT_FOUND,
    EMERGENCY_ALREADY_ON,
    EMERGENCY_ENDED,
    EMERGENCY_NOT_FOUND,
)
from .register import compounds_of


@dataclass(frozen=True)
class Switch:
    """What staff ask for when switching an area on."""

    community_code: str
    scope: Literal["community", "compound", "buildings"]
    reason: str
    message: dict[str, str]
    compound_code: str = ""
    buildings: tuple[str, ...] = ()
    notices: list[dict[str, Any]] = field(default_factory=list)
    hotline: str = ""


def switch_on(
    session: Session, *, switch: Switch, config: VolunteerConfig, actor: str, now: datetime
) -> EmergencyMode:
    """Put an area into emergency mode; refuse an area that overlaps one already in it."""
    community = org.community(session, switch.community_code)
    buildings, name = _area(session, switch, {"zh": community.name_zh, "en": community.name_en})
    for mode in active(session, switch.community_code):
        if not mode.buildings or not buildings or set(mode.buildings) & set(buildings):
            raise AppError(EMERGENCY_ALREADY_ON, detail=mode.id)
    mode = EmergencyMode(
        id=str(uuid.uuid4()),
        community_code=switch.community_code,
        scope=switch.scope,
        compound_code=switch.compound_code or None,
        buildings=buildings,
        area_name=name,
        reason=switch.reason,
        message=switch.message,
        notices=switch.notices,
        hotline=switch.hotline or config.hotline,
        started_at=now,
        started_by=actor,
        ended_by="",
    )
    session.add(mode)
    publish(session, mode, now)
    audit.record(
        session,
        actor=actor,
        action="emergency.on",
        target=f"community:{switch.community_code}",
        at=now,
        detail={"mode": mode.id, "area": name["zh"], "reason": switch.reason},
    )
    return mode


def switch_off(
    session: Session, *, mode_id: str, communities: list[str], actor: str, reason: str, now: datetime
) -> EmergencyMode:
    """End an area's emergency mode (平战转化 back to normal times)."""
    mode = get(session, mode_id, communities)
    if mode.ended_at is not None:
        raise AppError(EMERGENCY_ENDED, detail=mode_id)
    mode.ended_at, mode.ended_by = now, actor
    publish(session, mode, now)
    audit.record(
        session,
        actor=actor,
        action="emergency.off",
        target=f"community:{mode.community_code}",
        at=now,
        detail={"mode": mode.id, "area": mode.area_name.get("zh", ""), "reason": reason},
    )
    return mode


def _area(session: Session, switch: Switch, community: dict[str, str]) -> tuple[list[str], dict[str, str]]:
    if switch.scope == "community":
        return [], community
    compounds = compounds_of(session, switch.community_code)
    if switch.scope == "compound":
        compound = session.get(Compound, switch.compound_code)
        if compound is None or compound.community_code != switch.community_code:
            raise AppError(COMPOUND_NOT_FOUND, detail=switch.compound_code[:32])
        return list(compound.buildings), {"zh": compound.name_zh, "en": compound.name_en or compound.name_zh}
    known = {b for c in compounds for b in c.buildings}
    chosen = sorted(set(switch.buildings), key=_natural)
    if not chosen or any(b not in known for b in chosen):
        raise AppError(BAD_BUILDING, detail=",".join(chosen)[:64])
    return chosen, {"zh": "、".join(chosen) + "号楼", "en": "Buildings " + ", ".join(chosen)}


def _natural(text: str) -> tuple[int, str]:
    return (int(text), "") if text.isdigit() else (1 << 30, text)


def get(session: Session, mode_id: str, communities: list[str]) -> EmergencyMode:
    mode = session.get(EmergencyMode, mode_id)
    if mode is None or mode.community_code not in communities:
        raise AppError(EMERGENCY_NOT_FOUND, detail=mode_id[:36])
    return mode


def active(session: Session, community_code: str) -> list[EmergencyMode]:
    return list(
        session.scalars(
            select(EmergencyMode).where(
                EmergencyMode.community_code == community_code, EmergencyMode.ended_at.is_(None)
            )
        )
    )


def listing(session: Session, communities: list[str]) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(EmergencyMode)
        .where(EmergencyMode.community_code.in_(communities))
        .order_by(EmergencyMode.started_at.desc())
        .limit(100)
    )
    return [view(m) for m in rows]


def area_message(mode: EmergencyMode) -> EmergencyArea:
    return EmergencyArea(
        id=mode.id,
        active=mode.ended_at is None,
        scope=mode.scope,
        area_name=mode.area_name,
        buildings=list(mode.buildings),
        reason=mode.reason,
        message=mode.message,
        notices=list(mode.notices),
        hotline=mode.hotline,
        started_at=mode.started_at,
        ended_at=mode.ended_at,
    )


def view(mode: EmergencyMode) -> dict[str, Any]:
    """The mode for staff: each notice says ``has_image`` (the picture's bytes go to stations only)."""
    return area_message(mode).model_dump(mode="json") | {
        "notices": [described(n) for n in mode.notices],
        "community_code": mode.community_code,
        "compound_code": mode.compound_code,
        "started_by": mode.started_by,
        "ended_by": mode.ended_by,
    }


def publish(session: Session, mode: EmergencyMode, now: datetime) -> None:
    changes.publish(
        session,
        kind=EMERGENCY,
        scope=changes.community_scope(mode.community_code),
        key=mode.id,
        payload=area_message(mode).model_dump(mode="json"),
        now=now,
        supersede=True,
    )
