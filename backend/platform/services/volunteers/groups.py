"""Each building's 邻里一家亲 group QR, configured by staff and published to the community's
stations (a kiosk shows it to residents of that building once they identify)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.shared.errors import AppError
from backend.shared.volunteers.messages import NEIGHBOUR_GROUP
from backend.shared.volunteers.messages import NeighbourGroup as GroupMessage

from ...db.volunteer_models import NeighbourGroup
from .. import changes
from .errors import BAD_BUILDING
from .register import compounds_of


def set_group(
    session: Session,
    *,
    community_code: str,
    building: str,
    name: str,
    qr_text: str,
    actor: str,
    now: datetime,
) -> NeighbourGroup:
    """Set (or with an empty text, withdraw) a building's group QR and publish it."""
    known = {b for c in compounds_of(session, community_code) for b in c.buildings}
    if building not in known:
        raise AppError(BAD_BUILDING, detail=building[:16])
    group = session.get(NeighbourGroup, (community_code, building))
    if group is None:
        group = NeighbourGroup(community_code=community_code, building=building)
        session.add(group)
    group.name, group.qr_text, group.updated_by, group.updated_at = name, qr_text, actor, now
    message = GroupMessage(building=building, name=name, qr_text=qr_text, active=bool(qr_text))
    changes.publish(
        session,
        kind=NEIGHBOUR_GROUP,
        scope=changes.community_scope(community_code),
        key=f"building:{building}",
        payload=message.model_dump(),
        now=now,
        supersede=True,
    )
    return group


def listing(session: Session, community_code: str) -> list[dict[str, Any]]:
    rows = session.scalars(select(NeighbourGroup).where(NeighbourGroup.community_code == community_code))
    return [
        {
            "building": g.building,
            "name": g.name,
            "qr_text": g.qr_text,
            "updated_by": g.updated_by,
            "updated_at": g.updated_at.isoformat(),
        }
        for g in rows
    ]


DEMO_WITHOUT_GROUP = "11"  # one demo building has none, so the kiosk's "no group yet" shows too


def load_demo(session: Session, *, community_code: str, now: datetime) -> None:
    """The demo's 邻里一家亲 groups: one per building of the demo compounds but one, each QR a
    placeholder link (a real one is the WeChat group's invitation, pasted by staff)."""
    for compound in compounds_of(session, community_code):
        for building in compound.buildings:
            if building != DEMO_WITHOUT_GROUP:
                set_group(session, community_code=community_code, building=building,
                          name=f"{building}栋邻里一家亲", qr_text=f"https://example.invalid/qun/{community_code}-{building}",
                          actor="demo", now=now)
