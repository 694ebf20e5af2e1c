"""Volunteers at the kiosk: sign in to a duty (巡查, 调解, 值守, 活动) and out of it, with a slip of
the duty, its local times and hours; a duty nobody signed out of is closed at the configured hour
and marked (``close_forgotten``, run before every duty action and by the clock); a volunteer's own
record of hours for a month. Each duty goes up with its id in ``duty.started`` / ``duty.ended``
outbox events written in the same transaction, so the platform counts it once."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time, timedelta

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from backend.shared import localtime
from backend.shared.errors import AppError, define
from backend.shared.volunteers.config import VolunteerConfig
from backend.shared.volunteers.messages import DUTY_ENDED, DUTY_STARTED, DutyEvent, VolunteerEntry

from ..db.session import write_transaction
from ..db.volunteer_models import LocalDuty, LocalVolunteer
from . import outbox
from .sessions import Identity

NOT_VOLUNTEER = define(
    "volunteer.not_registered",
    404,
    "您还不在志愿者名册中，请联系社区登记。",
    "You are not in the volunteer register yet; please ask the community to add you.",
)
UNKNOWN_DUTY = define("volunteer.unknown_duty", 422, "没有这种服务类型。", "No such kind of duty.")
ALREADY_ON_DUTY = define(
    "volunteer.already_on_duty",
    409,
    "您已签到，请先签退。",
    "You are already signed in to a duty; sign out first.",
)
NOT_ON_DUTY = define(
    "volunteer.not_on_duty", 409, "您当前没有签到的服务。", "You are not signed in to a duty."
)


def volunteer_of(session: Session, identity: Identity) -> VolunteerEntry:
    """The identified resident's volunteer entry (active), or volunteer.not_registered."""
    row = session.get(LocalVolunteer, identity.id_hash)
    try:
        entry = VolunteerEntry.model_validate(row.entry) if row is not None else None
    except ValidationError:
        entry = None
    if entry is None or not entry.active:
        raise AppError(NOT_VOLUNTEER)
    return entry


def close_time(started_at: datetime, hour: int) -> datetime:
    """When a duty begun at ``started_at`` is closed if nobody signs out: the set local hour that
    day, or the next day's when it began after that hour."""
    day = localtime.local_date(started_at)
    cutoff = datetime.combine(day, time(hour), tzinfo=localtime.zone())
    return (cutoff if started_at < cutoff else cutoff + timedelta(days=1)).astimezone(UTC)


def _minutes(start: datetime, end: datetime) -> int:
    return max(0, int((end - start).total_seconds() // 60))


def _end(session: Session, duty: LocalDuty, end: datetime, *, forgotten: bool, now: datetime) -> None:
    duty.ended_at, duty.minutes, duty.forgotten = end, _minutes(duty.started_at, end), forgotten
    outbox.record(session, event_type=DUTY_ENDED, aggregate_id=duty.id, payload=_event(duty), at=now)


def _event(duty: LocalDuty) -> dict[str, object]:
    return DutyEvent(
        id=duty.id,
        volunteer_hash=duty.volunteer_hash,
        kind=duty.kind,
        started_at=duty.started_at,
        ended_at=duty.ended_at,
        minutes=duty.minutes,
        forgotten=duty.forgotten,
    ).model_dump(mode="json")


def close_forgotten(factory: sessionmaker[Session], *, config: VolunteerConfig, now: datetime) -> int:
    """Close every open duty whose closing hour has passed, at that hour, marked forgotten."""
    with write_transaction(factory) as session:
        return _close_forgotten(session, config, now)


def _close_forgotten(session: Session, config: VolunteerConfig, now: datetime) -> int:
    count = 0
    for duty in session.scalars(select(LocalDuty).where(LocalDuty.ended_at.is_(None))):
        cutoff = close_time(duty.started_at, config.auto_close_hour)
        if now >= cutoff:
            _end(session, duty, cutoff, forgotten=True, now=now)
            count += 1
    return count


def open_duty(session: Session, id_hash: str) -> LocalDuty | None:
    return session.scalar(
        select(LocalDuty).where(LocalDuty.volunteer_hash == id_hash, LocalDuty.ended_at.is_(None))
    )


def sign_in(
    factory: sessionmaker[Session], *, identity: Identity, kind: str, config: VolunteerConfig, now: datetime
) -> LocalDuty:
    """Begin a duty for the identified volunteer."""
    if config.duty(kind) is None:
        raise AppError(UNKNOWN_DUTY, detail=kind[:32])
    with write_transaction(factory) as session:
        _close_forgotten(session, config, now)
        entry = volunteer_of(session, identity)
        if open_duty(session, identity.id_hash) is not None:
            raise AppError(ALREADY_ON_DUTY)
        duty = LocalDuty(
            id=str(uuid.uuid4()),
            volunteer_hash=identity.id_hash,
            name=entry.name,
            kind=kind,
            started_at=now,
            ended_at=None,
            minutes=0,
            forgotten=False,
        )
        session.add(duty)
        outbox.record(session, event_type=DUTY_STARTED, aggregate_id=duty.id, payload=_event(duty), at=now)
        return duty


def sign_out(
    factory: sessionmaker[Session], *, identity: Identity, config: VolunteerConfig, now: datetime
) -> LocalDuty:
    """End the identified volunteer's open duty; a duty already closed by the clock is returned as
    it was closed (marked forgotten) when there is no other."""
    with write_transaction(factory) as session:
        _close_forgotten(session, config, now)
        volunteer_of(session, identity)
        duty = open_duty(session, identity.id_hash)
        if duty is None:
            last = session.scalar(
                select(LocalDuty)
                .where(LocalDuty.volunteer_hash == identity.id_hash)
                .order_by(LocalDuty.started_at.desc())
            )
            if last is not None and last.forgotten and now - (last.ended_at or now) < timedelta(days=1):
                return last
            raise AppError(NOT_ON_DUTY)
        _end(session, duty, now, forgotten=False, now=now)
        return duty


def month_duties(session: Session, id_hash: str, month: str) -> list[LocalDuty]:
    """The volunteer's duties begun here in a local month ("2026-05")."""
    year, number = (int(p) for p in month.split("-"))
    start = datetime(year, number, 1, tzinfo=localtime.zone())
    end = datetime(year + number // 12, number % 12 + 1, 1, tzinfo=localtime.zone())
    return list(
        session.scalars(
            select(LocalDuty)
            .where(
                LocalDuty.volunteer_hash == id_hash, LocalDuty.started_at >= start, LocalDuty.started_at < end
            )
            .order_by(LocalDuty.started_at)
        )
    )
