"""Routing the outbox into deliveries: who hears of what, grouped, held, silenced or escalated.

Runs in the notification worker, never in ingest. Each outbox event is claimed (SKIP LOCKED on
PostgreSQL; SQLite has one writer) and routed in one transaction with the deliveries it makes,
whose dedup ids are unique: a restart or a second worker cannot make a delivery twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend.shared import localtime
from backend.shared.tickets.calendar import WorkCalendar

from ...db.area_models import OrgUnit, Station
from ...db.fleet_models import Alert
from ...db.notify_models import (
    DeliveryAlert,
    NotificationChannel,
    NotificationDelivery,
    NotificationEvent,
    RotaShift,
    Silence,
)
from ...db.session import is_postgres
from . import outbox
from .escalation import escalation_level
from .messages import channel_severity
from .routing import ChannelRule, group_key, held_until, receives


@dataclass(frozen=True)
class Policy:
    """The notification settings the routing needs."""

    district_code: str
    group_window: timedelta = timedelta(minutes=5)
    group_wait: timedelta = timedelta(seconds=2)
    quiet_start: time = time(22, 0)
    quiet_end: time = time(7, 0)
    escalate_after: timedelta = timedelta(minutes=15)
    calendar: WorkCalendar | None = None


def area_path(session: Session, community_code: str, district_code: str) -> list[str]:
    """The organisation codes from the district down to the community."""
    unit = session.get(OrgUnit, community_code)
    codes = unit.path.strip("/").split("/") if unit is not None else [community_code]
    return codes[codes.index(district_code):] if district_code in codes else codes[1:] or codes


def claim_events(session: Session, limit: int = 50) -> list[NotificationEvent]:
    """Pending outbox rows this worker routes; other workers skip them (PostgreSQL row locks)."""
    query = select(NotificationEvent).where(NotificationEvent.state == "pending") \
        .order_by(NotificationEvent.id).limit(limit)
    if is_postgres(session):
        query = query.with_for_update(skip_locked=True)
    return list(session.scalars(query))


def route_event(session: Session, event: NotificationEvent, *, policy: Policy, now: datetime) -> None:
    """Turn one outbox row into deliveries and mark it routed."""
    handler = {"firing": _firing, "resolved": _resolved, "escalation": _escalation,
               "ticket": _ticket, "test": _test}.get(event.kind)
    if handler is not None:
        handler(session, event, policy, now)
    event.state, event.routed_at = "routed", now


def _channels(session: Session) -> list[NotificationChannel]:
    return list(session.scalars(select(NotificationChannel).where(NotificationChannel.active.is_(True))))


def on_duty(session: Session, channel: NotificationChannel, *, local_now: datetime,
            calendar: WorkCalendar | None) -> bool:
    """A channel with rota shifts hears only during one of them (local time, holidays counted)."""
    shifts = list(session.scalars(select(RotaShift).where(RotaShift.channel_id == channel.id)))
    if not shifts:
        return True
    return any(shift_covers(s.days, s.starts, s.ends, local_now, calendar) for s in shifts)


def shift_covers(days: str, starts: time, ends: time, local_now: datetime,
                 calendar: WorkCalendar | None) -> bool:
    """Whether a shift covers this local moment; a shift past midnight belongs to its first day."""
    clock = local_now.time()
    if starts < ends:
        day, inside = local_now.date(), starts <= clock < ends
    elif clock >= starts:
        day, inside = local_now.date(), True
    else:
        day, inside = (local_now - timedelta(days=1)).date(), clock < ends
    if not inside or days == "any":
        return inside
    working = calendar.is_working_day(day) if calendar is not None else day.isoweekday() <= 5
    return working == (days == "workday")


def silenced(session: Session, *, station_id: str, path: list[str], now: datetime) -> bool:
    """A silence covers the station itself or an area on its path, right now."""
    query = select(Silence.id).where(Silence.starts_at <= now, Silence.ends_at > now,
                                     (Silence.station_id == station_id) | Silence.area_code.in_(path))
    return session.scalars(query.limit(1)).first() is not None


def _firing(session: Session, event: NotificationEvent, policy: Policy, now: datetime) -> None:
    alert, station = _alert_and_station(session, event)
    if alert is None or station is None:
        return
    path = area_path(session, station.community_code, policy.district_code)
    severity = channel_severity(alert.severity)
    muted = silenced(session, station_id=station.id, path=path, now=now)
    local_now = localtime.to_local(now)
    key = group_key(kind=alert.kind, area_path=path, opened_at=alert.opened_at, window=policy.group_window)
    hold = held_until(local_now, severity=severity, quiet_start=policy.quiet_start,
                      quiet_end=policy.quiet_end)
    for channel in _channels(session):
        rule = ChannelRule(channel.id, channel.area_code, channel.min_severity)
        if not receives(rule, area_path=path, severity=severity):
            continue
        if not on_duty(session, channel, local_now=local_now, calendar=policy.calendar):
            continue
        if muted:
            _deliver(session, channel, kind="firing", dedup=f"firing:{channel.id}:{alert.id}", now=now,
                     not_before=now, alert_ids=[alert.id], state="silenced")
            continue
        joined = _pending_group(session, channel.id, key)
        if joined is not None:  # same cause, same street, still waiting: one message for them all
            _link(session, joined.id, alert.id)
            continue
        not_before = max(now + policy.group_wait, hold.astimezone(now.tzinfo) if hold else now)
        _deliver(session, channel, kind="firing", dedup=f"firing:{channel.id}:{key}:{alert.id}", now=now,
                 not_before=not_before, alert_ids=[alert.id], group=key)


def _resolved(session: Session, event: NotificationEvent, policy: Policy, now: datetime) -> None:
    """Whoever got (or is about to get) the firing message hears once that it is over."""
    firing = session.scalars(select(NotificationDelivery).join(
        DeliveryAlert, DeliveryAlert.delivery_id == NotificationDelivery.id).where(
        DeliveryAlert.alert_id == event.alert_id,
        NotificationDelivery.kind.in_(("firing", "escalation")))).all()
    for delivery in firing:
        alert_ids = _alerts_of(session, delivery.id)
        still_open = session.scalars(select(Alert.id).where(Alert.id.in_(alert_ids),
                                                            Alert.open_marker == 1)).first()
        if still_open is not None:
            continue  # the group's message resolves with the last of its alerts
        if delivery.state == "pending":
            delivery.state, delivery.last_error = "dropped", "resolved before it was sent"
        elif delivery.state in ("sending", "sent"):
            channel = session.get(NotificationChannel, delivery.channel_id)
            if channel is not None and delivery.kind == "firing":
                _deliver(session, channel, kind="resolved", dedup=f"resolved:{delivery.dedup_id}", now=now,
                         not_before=now, alert_ids=alert_ids, group=delivery.group_key)


def _escalation(session: Session, event: NotificationEvent, policy: Policy, now: datetime) -> None:
    alert, station = _alert_and_station(session, event)
    if alert is None or station is None or alert.acknowledged_at is not None or alert.open_marker != 1:
        return
    path = area_path(session, station.community_code, policy.district_code)
    if silenced(session, station_id=station.id, path=path, now=now):
        return
    for channel in _channels(session):
        if channel.area_code == event.area_code:
            _deliver(session, channel, kind="escalation", now=now, not_before=now, alert_ids=[alert.id],
                     dedup=f"escalation:{channel.id}:{alert.id}:{event.area_code}")


def _ticket(session: Session, event: NotificationEvent, policy: Policy, now: datetime) -> None:
    path = area_path(session, str(event.payload.get("community_code", "")), policy.district_code)
    for channel in _channels(session):
        rule = ChannelRule(channel.id, channel.area_code, channel.min_severity)
        if receives(rule, area_path=path, severity="warning"):
            _deliver(session, channel, kind="ticket", dedup=f"ticket:{channel.id}:{event.dedup_id}", now=now,
                     not_before=now, alert_ids=[], payload=dict(event.payload))


def _test(session: Session, event: NotificationEvent, policy: Policy, now: datetime) -> None:
    channel = session.get(NotificationChannel, event.channel_id) if event.channel_id else None
    if channel is not None:
        _deliver(session, channel, kind="test", dedup=f"test:{event.id}", now=now, not_before=now,
                 alert_ids=[], payload=dict(event.payload))


def _deliver(session: Session, channel: NotificationChannel, *, kind: str, dedup: str, now: datetime,
             not_before: datetime, alert_ids: list[int], group: str = "", state: str = "pending",
             payload: dict[str, object] | None = None) -> NotificationDelivery | None:
    delivery = NotificationDelivery(dedup_id=dedup, channel_id=channel.id, kind=kind, group_key=group,
                                    state=state, payload=payload or {}, attempts=0, not_before=not_before,
                                    last_error="", created_at=now)
    try:
        with session.begin_nested():
            session.add(delivery)
            session.flush()
    except IntegrityError:
        return None  # made already (a replayed event): the dedup id holds
    for alert_id in alert_ids:
        _link(session, delivery.id, alert_id)
    return delivery


def _link(session: Session, delivery_id: int, alert_id: int) -> None:
    session.add(DeliveryAlert(delivery_id=delivery_id, alert_id=alert_id))
    session.flush()


def _pending_group(session: Session, channel_id: int, key: str) -> NotificationDelivery | None:
    return session.scalars(select(NotificationDelivery).where(
        NotificationDelivery.channel_id == channel_id, NotificationDelivery.group_key == key,
        NotificationDelivery.kind == "firing", NotificationDelivery.state == "pending")).first()


def _alerts_of(session: Session, delivery_id: int) -> list[int]:
    return list(session.scalars(select(DeliveryAlert.alert_id).where(DeliveryAlert.delivery_id == delivery_id)
                                .order_by(DeliveryAlert.alert_id)))


def _alert_and_station(session: Session, event: NotificationEvent) -> tuple[Alert | None, Station | None]:
    alert = session.get(Alert, event.alert_id) if event.alert_id is not None else None
    station = session.get(Station, alert.station_id) if alert is not None else None
    return alert, station


def escalate_due(session: Session, *, policy: Policy, now: datetime) -> int:
    """Enqueue the next level for every open critical alert nobody acknowledged in time."""
    cutoff = now - policy.escalate_after
    due = session.scalars(select(Alert).where(Alert.open_marker == 1, Alert.severity == "ALARM",
                                              Alert.acknowledged_at.is_(None), Alert.opened_at <= cutoff))
    added = 0
    for alert in due:
        station = session.get(Station, alert.station_id)
        if station is None:
            continue
        path = area_path(session, station.community_code, policy.district_code)
        level = escalation_level(area_path=path, opened_at=alert.opened_at, acknowledged_at=None, now=now,
                                 severity="critical", after=policy.escalate_after)
        if level is not None and level != path[-1]:
            added += outbox.enqueue(session, dedup_id=f"alert:{alert.id}:escalate:{level}", kind="escalation",
                                    alert_id=alert.id, area_code=level, now=now)
    return added


def drop_acknowledged(session: Session, *, alert_id: int) -> None:
    """An acknowledged alert's escalations still waiting are not sent."""
    waiting = select(DeliveryAlert.delivery_id).where(DeliveryAlert.alert_id == alert_id)
    session.execute(update(NotificationDelivery).where(
        NotificationDelivery.id.in_(waiting), NotificationDelivery.kind == "escalation",
        NotificationDelivery.state == "pending").values(state="dropped", last_error="acknowledged"))
