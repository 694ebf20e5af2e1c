"""The notification worker: route the outbox, then claim due deliveries and send them.

A delivery is claimed with one UPDATE … WHERE state='pending' … RETURNING (on PostgreSQL over
rows picked with FOR UPDATE SKIP LOCKED), which sets a lease; only the worker that claimed it
sends it. A worker that dies while sending leaves the lease to expire and the delivery is sent
again with the same dedup id (``X-Kiosk-Delivery``, ``dedup_id`` in the body), which receivers use
to drop the repeat. Failures back off exponentially; each channel keeps its rate per minute.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from ...db.area_models import Station
from ...db.fleet_models import Alert
from ...db.notify_models import DeliveryAlert, NotificationChannel, NotificationDelivery
from ...db.session import is_postgres, write_transaction
from .dispatch import Policy, area_path, claim_events, route_event
from .messages import Notice, alert_message, titles, when
from .senders import DeliveryError, Senders
from .webhook import State

log = logging.getLogger(__name__)
LEASE = timedelta(seconds=60)


@dataclass(frozen=True)
class Retry:
    max_attempts: int = 8
    base_seconds: float = 2.0
    max_seconds: float = 600.0

    def delay(self, attempts: int) -> timedelta:
        return timedelta(seconds=min(self.base_seconds * 2 ** max(attempts - 1, 0), self.max_seconds))


def route_outbox(factory: sessionmaker[Session], *, policy: Policy, now: datetime) -> int:
    """Route pending outbox rows into deliveries; return how many."""
    with write_transaction(factory) as session:
        events = claim_events(session)
        for event in events:
            route_event(session, event, policy=policy, now=now)
        return len(events)


def claim_deliveries(session: Session, *, now: datetime, limit: int = 20) -> list[int]:
    """Take due deliveries (or ones whose sender's lease ran out) for this worker."""
    due = or_(and_(NotificationDelivery.state == "pending", NotificationDelivery.not_before <= now),
              and_(NotificationDelivery.state == "sending", NotificationDelivery.claimed_until < now))
    pick = select(NotificationDelivery.id).where(due).order_by(NotificationDelivery.not_before).limit(limit)
    if is_postgres(session):
        pick = pick.with_for_update(skip_locked=True)
    ids = list(session.scalars(pick))
    if not ids:
        return []
    claimed = session.execute(update(NotificationDelivery).where(
        NotificationDelivery.id.in_(ids), due).values(
        state="sending", claimed_until=now + LEASE, attempts=NotificationDelivery.attempts + 1)
        .returning(NotificationDelivery.id))
    return [row[0] for row in claimed]


def over_rate(session: Session, channel: NotificationChannel, now: datetime) -> bool:
    """The channel took its messages for this minute (counted across every worker)."""
    sent = session.scalar(select(func.count()).select_from(NotificationDelivery).where(
        NotificationDelivery.channel_id == channel.id, NotificationDelivery.state == "sent",
        NotificationDelivery.sent_at > now - timedelta(minutes=1)))
    return (sent or 0) >= channel.rate_per_minute


@dataclass
class NotifyWorker:
    """One pass: route, claim, send, record. Runs in its own thread, apart from ingest."""

    factory: sessionmaker[Session]
    policy: Policy
    senders: Senders
    console_url: str
    retry: Retry = Retry()

    def run_once(self, now: datetime) -> int:
        route_outbox(self.factory, policy=self.policy, now=now)
        with write_transaction(self.factory) as session:
            claimed = claim_deliveries(session, now=now)
        for delivery_id in claimed:
            self._send_one(delivery_id, now)
        return len(claimed)

    def _send_one(self, delivery_id: int, now: datetime) -> None:
        with self.factory() as session:
            delivery = session.get(NotificationDelivery, delivery_id)
            channel = session.get(NotificationChannel, delivery.channel_id) if delivery else None
            if delivery is None or channel is None:
                return
            skip = self._skip_reason(session, delivery, channel, now)
            if skip == "rate":
                self._finish(delivery_id, state="pending", not_before=now + timedelta(seconds=10),
                             error="rate limit", refund=True)
                return
            if skip:
                self._finish(delivery_id, state="dropped", error=skip)
                return
            notice = self.notice(session, delivery)
            channel.target, channel.secret  # noqa: B018  (opened while the session holds the key)
            session.expunge(channel)
        try:
            self.senders.send(channel, notice, now=now.timestamp())
        except DeliveryError as err:
            self._failed(delivery_id, str(err), now)
            return
        self._finish(delivery_id, state="sent", sent_at=now)

    def _skip_reason(self, session: Session, delivery: NotificationDelivery,
                     channel: NotificationChannel, now: datetime) -> str:
        if not channel.active:
            return "channel deleted"
        if delivery.kind == "escalation":
            alert_id = session.scalar(select(DeliveryAlert.alert_id)
                                      .where(DeliveryAlert.delivery_id == delivery.id))
            alert = session.get(Alert, alert_id) if alert_id else None
            if alert is None or alert.acknowledged_at is not None or alert.open_marker != 1:
                return "acknowledged or resolved"
        return "rate" if over_rate(session, channel, now) else ""

    def _failed(self, delivery_id: int, error: str, now: datetime) -> None:
        with write_transaction(self.factory) as session:
            delivery = session.get(NotificationDelivery, delivery_id)
            if delivery is None:
                return
            delivery.last_error = error[:255]
            delivery.claimed_until = None
            if delivery.attempts >= self.retry.max_attempts:
                delivery.state = "failed"
            else:
                delivery.state, delivery.not_before = "pending", now + self.retry.delay(delivery.attempts)
        log.warning("notification %s failed (attempt): %s", delivery_id, error)

    def _finish(self, delivery_id: int, *, state: str, error: str = "", sent_at: datetime | None = None,
                not_before: datetime | None = None, refund: bool = False) -> None:
        with write_transaction(self.factory) as session:
            delivery = session.get(NotificationDelivery, delivery_id)
            if delivery is None:
                return
            delivery.state, delivery.claimed_until = state, None
            delivery.last_error = error or delivery.last_error
            delivery.sent_at = sent_at or delivery.sent_at
            if not_before is not None:
                delivery.not_before = not_before
            if refund:  # held back by the rate limit: not an attempt
                delivery.attempts = max(delivery.attempts - 1, 0)

    def notice(self, session: Session, delivery: NotificationDelivery) -> Notice:
        """Build the message from the database as it is now (every alert that joined the group)."""
        alert_ids = list(session.scalars(select(DeliveryAlert.alert_id).where(
            DeliveryAlert.delivery_id == delivery.id).order_by(DeliveryAlert.alert_id)))
        alerts = [a for a in (session.get(Alert, i) for i in alert_ids) if a is not None]
        if not alerts:
            return self._plain_notice(delivery)
        state: State = "resolved" if delivery.kind == "resolved" else "firing"
        grouped: list[dict[str, Any]] = []
        lines: list[str] = []
        first = None
        for alert in alerts:
            station = session.get(Station, alert.station_id)
            if station is None:
                continue
            path = area_path(session, station.community_code, self.policy.district_code)
            message = alert_message(alert=alert, station=station, area_path=path, state=state,
                                    console_url=self.ack_url(alert.id), count=len(alerts))
            first = first or message
            lines.append(f"{station.name} ({station.id}) · {when(alert.opened_at)}")
            grouped.append({"id": message.id, "station": {"id": station.id, "name": station.name,
                                                          "community_code": station.community_code},
                            "opened_at": alert.opened_at.isoformat(),
                            "resolved_at": alert.resolved_at.isoformat() if alert.resolved_at else None})
        title_zh, title_en = titles(delivery.kind, first, len(grouped))
        if first is not None:
            lines.insert(0, f"{first.summary_zh} / {first.summary_en}")
        ack = self.ack_url(alerts[0].id) if delivery.kind in ("firing", "escalation") else ""
        return Notice(dedup_id=delivery.dedup_id, kind=delivery.kind, title_zh=title_zh, title_en=title_en,
                      lines=lines, ack_url=ack, alert=first, grouped=grouped,
                      severity=first.severity if first else "warning")

    def _plain_notice(self, delivery: NotificationDelivery) -> Notice:
        payload = delivery.payload or {}
        if delivery.kind == "test":
            return Notice(dedup_id=delivery.dedup_id, kind="test", title_zh="测试消息",
                          title_en="Test message", lines=[str(payload.get("by", ""))], ack_url="",
                          severity="info")
        number = str(payload.get("ticket_no", ""))
        assignee = str(payload.get("assignee", ""))
        return Notice(dedup_id=delivery.dedup_id, kind=delivery.kind,
                      title_zh=f"工单 {number} 即将超期",
                      title_en=f"Ticket {number} is close to its deadline",
                      lines=[f"承办 Assignee: {assignee}", f"期限 Due: {payload.get('due', '')}"],
                      ack_url=f"{self.console_url}/console/tickets/{number}", severity="warning")

    def ack_url(self, alert_id: int) -> str:
        """The console's acknowledge page for an alert (it asks to sign in first)."""
        return f"{self.console_url}/console/alerts/{alert_id}/acknowledge"
