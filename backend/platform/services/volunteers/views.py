"""What the console shows of an emergency area: its command structure (who leads which building
and unit, who is checked in to which task group, open needs by building and urgency, time to
fulfil) and, once it ends, the after-action summary (needs by kind, times, volunteers, hours)."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime
from statistics import median
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.shared.volunteers.config import VolunteerConfig

from ...db.volunteer_models import EmergencyCheckin, EmergencyMode, EmergencyNeed, Volunteer, VolunteerDuty
from .register import compounds_of


def _buildings(session: Session, mode: EmergencyMode) -> list[str]:
    if mode.buildings:
        return list(mode.buildings)
    return [b for c in compounds_of(session, mode.community_code) for b in c.buildings]


def _minutes(start: datetime, end: datetime | None) -> float | None:
    return None if end is None else round((end - start).total_seconds() / 60, 1)


def command_structure(session: Session, mode: EmergencyMode, config: VolunteerConfig) -> dict[str, Any]:
    """Leaders by building and unit, check-ins by task group, open needs by building × urgency."""
    buildings = _buildings(session, mode)
    volunteers = list(
        session.scalars(
            select(Volunteer).where(
                Volunteer.community_code == mode.community_code, Volunteer.active.is_(True)
            )
        )
    )
    needs = list(session.scalars(select(EmergencyNeed).where(EmergencyNeed.mode_id == mode.id)))
    rows = []
    for building in buildings:
        leaders = [v.name for v in volunteers if {"building": building, "unit": ""} in v.leads]
        units = sorted(
            {
                (lead["unit"], v.name)
                for v in volunteers
                for lead in v.leads
                if lead["building"] == building and lead["unit"]
            }
        )
        open_needs = Counter(n.urgency for n in needs if n.building == building and n.state == "open")
        rows.append(
            {
                "building": building,
                "leaders": leaders,
                "unit_leaders": [{"unit": u, "name": name} for u, name in units],
                "open": {u.code: open_needs.get(u.code, 0) for u in config.urgencies},
                "taken": sum(1 for n in needs if n.building == building and n.state == "taken"),
            }
        )
    return {
        "buildings": rows,
        "groups": checked_in(session, mode, config),
        "command": [v.name for v in volunteers if "command" in v.roles],
        "open_needs": [
            _need_row(n) for n in sorted(needs, key=lambda n: n.submitted_at) if n.state != "delivered"
        ],
        "fulfil": fulfil_times(needs),
    }


def checked_in(session: Session, mode: EmergencyMode, config: VolunteerConfig) -> list[dict[str, Any]]:
    rows = session.execute(
        select(EmergencyCheckin, Volunteer)
        .join(Volunteer, Volunteer.id == EmergencyCheckin.volunteer_id)
        .where(EmergencyCheckin.mode_id == mode.id)
        .order_by(EmergencyCheckin.at)
    ).all()
    by_group: dict[str, list[str]] = defaultdict(list)
    for checkin, volunteer in rows:
        if volunteer.name not in by_group[checkin.task_group]:
            by_group[checkin.task_group].append(volunteer.name)
    return [
        {"code": g.code, "name": g.as_dict(), "volunteers": by_group.get(g.code, [])}
        for g in config.task_groups
    ]


def _need_row(need: EmergencyNeed) -> dict[str, Any]:
    return {
        "need_no": need.need_no,
        "building": need.building,
        "unit": need.unit,
        "kind": need.kind,
        "urgency": need.urgency,
        "state": need.state,
        "level": need.level,
        "taken_by": need.taken_by,
        "submitted_at": need.submitted_at.isoformat(),
    }


def fulfil_times(needs: list[EmergencyNeed]) -> dict[str, Any]:
    """Minutes from registering to taking and to delivering (median, and the longest)."""
    taken = [m for n in needs if (m := _minutes(n.submitted_at, n.taken_at)) is not None]
    delivered = [m for n in needs if (m := _minutes(n.submitted_at, n.delivered_at)) is not None]
    return {
        "needs": len(needs),
        "delivered": len(delivered),
        "median_take_minutes": median(taken) if taken else None,
        "median_deliver_minutes": median(delivered) if delivered else None,
        "max_deliver_minutes": max(delivered) if delivered else None,
        "escalated": sum(1 for n in needs if n.level != "building_leader"),
    }


def after_action(session: Session, mode: EmergencyMode, config: VolunteerConfig) -> dict[str, Any]:
    """The printable summary: needs by kind and urgency, times, volunteers checked in and their hours."""
    needs = list(session.scalars(select(EmergencyNeed).where(EmergencyNeed.mode_id == mode.id)))
    by_kind = Counter(n.kind for n in needs)
    checkins = session.execute(
        select(EmergencyCheckin, Volunteer)
        .join(Volunteer, Volunteer.id == EmergencyCheckin.volunteer_id)
        .where(EmergencyCheckin.mode_id == mode.id)
    ).all()
    people = {v.id: v for _, v in checkins}
    duty_query = select(VolunteerDuty).where(
        VolunteerDuty.community_code == mode.community_code, VolunteerDuty.started_at >= mode.started_at
    )
    if mode.ended_at is not None:
        duty_query = duty_query.where(VolunteerDuty.started_at < mode.ended_at)
    duties = list(session.scalars(duty_query))
    minutes: Counter[int] = Counter()
    for duty in duties:
        minutes[duty.volunteer_id] += duty.minutes
    names = {
        v.id: v.name
        for v in session.scalars(select(Volunteer).where(Volunteer.id.in_(set(minutes) | set(people))))
    }
    return {
        "needs_by_kind": [
            {
                "kind": k.code,
                "name": k.as_dict(),
                "count": by_kind.get(k.code, 0),
                "delivered": sum(1 for n in needs if n.kind == k.code and n.state == "delivered"),
            }
            for k in config.needs
        ],
        "needs_by_urgency": {u.code: sum(1 for n in needs if n.urgency == u.code) for u in config.urgencies},
        "fulfil": fulfil_times(needs),
        "volunteers": [
            {
                "name": names.get(vid, ""),
                "hours": round(minutes.get(vid, 0) / 60, 1),
                "groups": sorted({c.task_group for c, v in checkins if v.id == vid}),
            }
            for vid in sorted(set(people) | set(minutes), key=lambda i: names.get(i, ""))
        ],
        "total_hours": round(sum(minutes.values()) / 60, 1),
    }
