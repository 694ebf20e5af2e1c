"""Notifications to staff: channels, the outbox written with each alert, deliveries, silences, rota.

The outbox row (``NotificationEvent``) is written in the alert's own transaction, so an alert
never exists without its notification and ingest does one insert; a worker expands each event
into deliveries (one per channel, grouped) and sends them. ``dedup_id`` is unique, so however
many workers expand or claim, a delivery exists once and receivers can refuse a repeat.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, LargeBinary, String, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend.shared.sealed import SealedText

from .base import Base, BigId, UtcDateTime


class NotificationChannel(Base):
    """Where staff of an area are told: a robot, a webhook, a mailbox or an SMS number."""

    __tablename__ = "notification_channels"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))  # webhook | wecom | dingtalk | feishu | email | sms
    # URL (a robot's carries its key), e-mail address or mobile number, and the signing secret:
    # sealed with the platform's data key, never returned whole by the API.
    target_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    target = SealedText("target_sealed")
    secret_sealed: Mapped[bytes] = mapped_column(LargeBinary, default=b"")
    secret = SealedText("secret_sealed")
    area_code: Mapped[str] = mapped_column(ForeignKey("org_units.code"), index=True)
    min_severity: Mapped[str] = mapped_column(String(16))  # info | warning | critical
    language: Mapped[str] = mapped_column(String(8), default="zh")
    rate_per_minute: Mapped[int] = mapped_column(Integer, default=20)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class NotificationEvent(Base):
    """The outbox: something staff must hear of (an alert firing or resolved, an escalation, a
    ticket deadline, a test), waiting for a worker to route it."""

    __tablename__ = "notification_events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    dedup_id: Mapped[str] = mapped_column(String(128), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # firing | resolved | escalation | ticket | test
    alert_id: Mapped[int | None] = mapped_column(ForeignKey("alerts.id"), index=True)
    channel_id: Mapped[int | None] = mapped_column(BigId)  # a test goes to one channel only
    area_code: Mapped[str] = mapped_column(String(32), default="")  # the escalation's level
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(16), default="pending", index=True)  # pending | routed
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    routed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class NotificationDelivery(Base):
    """One message to one channel, with its attempts: what the console's delivery log shows."""

    __tablename__ = "notification_deliveries"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    dedup_id: Mapped[str] = mapped_column(String(160), unique=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("notification_channels.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # firing | resolved | escalation | ticket | test
    group_key: Mapped[str] = mapped_column(String(96), default="", index=True)
    # pending | sending | sent | failed | silenced | dropped (all of its alerts resolved before sending)
    state: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    not_before: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    claimed_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_error: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class DeliveryAlert(Base):
    """Which alerts a (grouped) delivery speaks of: the delivery log per alert, and who gets the
    resolved message."""

    __tablename__ = "notification_delivery_alerts"
    __table_args__ = (UniqueConstraint("delivery_id", "alert_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("notification_deliveries.id"), index=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id"), index=True)


class Silence(Base):
    """Staff mute a station or an area for maintenance; muted alerts are still recorded."""

    __tablename__ = "notification_silences"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    station_id: Mapped[str | None] = mapped_column(String(64))
    area_code: Mapped[str | None] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(String(255), default="")
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    created_by: Mapped[str] = mapped_column(String(64), default="")


class RotaShift(Base):
    """A channel is on duty during its shifts (local time); a channel with no shift always is."""

    __tablename__ = "notification_rota"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("notification_channels.id"), index=True)
    days: Mapped[str] = mapped_column(String(16))  # workday | holiday (weekends too) | any
    starts: Mapped[time] = mapped_column(Time)
    ends: Mapped[time] = mapped_column(Time)  # before ``starts``: the shift runs past midnight
