"""Needs registered in emergency mode: routed to the household's building leader (楼栋长), moved
up the command structure — 专项工作组 (the task group for the kind of need), then 指挥部 — when
nobody takes them within the urgency's time at a level, taken (已接单) and delivered (已送达).
Every step is kept in the need's history and its status published to the community's stations,
so the household sees it at the kiosk. The sweep runs on the platform's clock (a test passes its
own ``now``); each need is its own short transaction, locked, so two sweepers move it once."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from backend.shared.db import write_transaction
from backend.shared.errors import AppError
from backend.shared.volunteers.config import LEVEL_WORDS, LEVELS, VolunteerConfig
from backend.shared.volunteers.messages import NEED, NeedRegistered, NeedStatus

from ...db.volunteer_models import EmergencyNeed, Volunteer
from .. import changes
from .errors import NEED_BAD_STATE, NEED_NOT_FOUND

log = logging.getLogger(__name__)
COMMAND = "command"


def building_leader(session: Session, community_code: str, building: str) -> Volunteer | None:
    """The active volunteer who leads the whole building (楼栋长), if any."""
    candidates = session.scalars(
        select(Volunteer)
        .where(Volunteer.community_code == community_code, Volunteer.active.is_(True))
        .order_by(Volunteer.id)
    )
    for volunteer in candidates:
        if "building_leader" in volunteer.roles and {"building": building, "unit": ""} in volunteer.leads:
            return volunteer
    return None


def file_need(
    session: Session,
    *,
    station_id: str,
    community_code: str,
    message: NeedRegistered,
    config: VolunteerConfig,
    now: datetime,
) -> EmergencyNeed:
    """Keep a need and route it to its building's leader (or, with none, to the task group)."""
    need = EmergencyNeed(
        need_no=message.need_no,
        mode_id=message.mode_id,
        station_id=station_id,
        community_code=community_code,
        building=message.building,
        unit=message.unit,
        household=message.household,
        kind=message.kind,
        urgency=message.urgency,
        phrases=list(message.phrases),
        owner_hash=message.owner_hash,
        name=message.name,
        id_masked=message.id_masked,
        contact_sealed=message.contact_sealed,
        phone_masked=message.phone_masked,
        submitted_at=message.submitted_at,
        state="open",
        level=LEVELS[0],
        assignee="",
        assigned_at=now,
        taken_by="",
        history=[],
    )
    _note(need, message.submitted_at, "registered", "已登记")
    leader = building_leader(session, community_code, message.building)
    if leader is not None:
        _assign(need, LEVELS[0], str(leader.id), now, leader.name)
    else:
        _assign(need, LEVELS[1], config.group_of_need(message.kind), now, _group_name(config, message.kind))
    session.add(need)
    publish(session, need, now)
    return need


def _group_name(config: VolunteerConfig, kind: str) -> str:
    group = config.group(config.group_of_need(kind))
    return group.zh if group else kind


def _assign(need: EmergencyNeed, level: str, assignee: str, now: datetime, shown: str) -> None:
    need.level, need.assignee, need.assigned_at = level, assignee, now
    _note(need, now, f"routed:{level}", f"已派{LEVEL_WORDS[level][0]}：{shown}")


def _note(need: EmergencyNeed, at: datetime, step: str, words: str) -> None:
    need.history = [*need.history, {"at": at.isoformat(), "step": step, "words": words}]


def escalation_due(need: EmergencyNeed, config: VolunteerConfig, now: datetime) -> bool:
    limit = timedelta(minutes=config.take_within_minutes(need.urgency))
    return need.state == "open" and need.level != COMMAND and now - need.assigned_at >= limit


def sweep(factory: sessionmaker[Session], *, config: VolunteerConfig, now: datetime) -> list[dict[str, Any]]:
    """Move every need that waited too long one level up; return live notes for the console."""
    with factory() as session:
        numbers = list(
            session.scalars(
                select(EmergencyNeed.need_no).where(
                    EmergencyNeed.state == "open", EmergencyNeed.level != COMMAND
                )
            )
        )
    notes: list[dict[str, Any]] = []
    for number in numbers:
        with write_transaction(factory) as session:
            need = session.get(EmergencyNeed, number, with_for_update=True)
            if need is None or not escalation_due(need, config, now):
                continue
            step = LEVELS[LEVELS.index(need.level) + 1]
            shown = _group_name(config, need.kind) if step == "task_group" else LEVEL_WORDS[COMMAND][0]
            assignee = config.group_of_need(need.kind) if step == "task_group" else COMMAND
            _assign(need, step, assignee, now, shown)
            publish(session, need, now)
            notes.append(
                {"type": "need.escalated", "need_no": number, "level": step, "community": need.community_code}
            )
            log.info("need %s not taken in time: moved up to %s", number, step)
    return notes


def take(session: Session, *, need_no: str, communities: list[str], by: str, now: datetime) -> EmergencyNeed:
    """A volunteer or the task group takes the need (已接单)."""
    need = get(session, need_no, communities)
    if need.state != "open":
        raise AppError(NEED_BAD_STATE, detail=need.state)
    need.state, need.taken_by, need.taken_at = "taken", by, now
    _note(need, now, "taken", f"已接单（{by}）")
    publish(session, need, now)
    return need


def deliver(
    session: Session, *, need_no: str, communities: list[str], by: str, now: datetime
) -> EmergencyNeed:
    """The need has been met (已送达)."""
    need = get(session, need_no, communities)
    if need.state != "taken":
        raise AppError(NEED_BAD_STATE, detail=need.state)
    need.state, need.delivered_at = "delivered", now
    _note(need, now, "delivered", "已送达")
    publish(session, need, now)
    return need


def get(session: Session, need_no: str, communities: list[str]) -> EmergencyNeed:
    need = session.get(EmergencyNeed, need_no, with_for_update=True)
    if need is None or need.community_code not in communities:
        raise AppError(NEED_NOT_FOUND, detail=need_no[:40])
    return need


def status(need: EmergencyNeed) -> NeedStatus:
    return NeedStatus(
        need_no=need.need_no,
        owner_hash=need.owner_hash,
        kind=need.kind,
        urgency=need.urgency,
        state=need.state,
        level=need.level,
        taken_by=need.taken_by,
        history=list(need.history),
        updated_at=need.history[-1]["at"] if need.history else need.submitted_at,
    )


def publish(session: Session, need: EmergencyNeed, now: datetime) -> None:
    changes.publish(
        session,
        kind=NEED,
        scope=changes.community_scope(need.community_code),
        key=need.need_no,
        payload=status(need).model_dump(mode="json"),
        now=now,
        supersede=True,
    )


def view(need: EmergencyNeed) -> dict[str, Any]:
    return {
        "need_no": need.need_no,
        "mode_id": need.mode_id,
        "building": need.building,
        "unit": need.unit,
        "household": need.household,
        "kind": need.kind,
        "urgency": need.urgency,
        "state": need.state,
        "level": need.level,
        "assignee": need.assignee,
        "taken_by": need.taken_by,
        "name": need.name,
        "phone_masked": need.phone_masked,
        "submitted_at": need.submitted_at.isoformat(),
        "history": list(need.history),
    }
