"""Channels, silences and rota as staff manage them; every call is limited to the user's area."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.shared.errors import AppError

from ...db.area_models import OrgUnit
from ...db.notify_models import (
    DeliveryAlert,
    NotificationChannel,
    NotificationDelivery,
    RotaShift,
    Silence,
)
from ..errors import AREA_NOT_YOURS, CHANNEL_NOT_FOUND, CHANNEL_TARGET, SILENCE_NOT_FOUND
from ..org import unit
from . import outbox
from .robots import WECOM_PER_MINUTE
from .sms import MOBILE

# What a channel kind takes each minute (WeCom documents 20 per robot; DingTalk 20; Feishu 100).
RATE = {"wecom": WECOM_PER_MINUTE, "dingtalk": 20, "feishu": 100, "webhook": 60, "email": 30, "sms": 10}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def within(session: Session, *, staff_org: str, area_code: str) -> bool:
    """The area is the user's own unit or one below it."""
    top, area = unit(session, staff_org), session.get(OrgUnit, area_code)
    return area is not None and area.path.startswith(top.path)


def _require_area(session: Session, staff_org: str, area_code: str) -> None:
    unit(session, area_code)  # unknown codes answer org.unknown
    if not within(session, staff_org=staff_org, area_code=area_code):
        raise AppError(AREA_NOT_YOURS, detail=area_code)


def check_target(kind: str, target: str) -> None:
    """A URL for webhooks and robots, an address for e-mail, a mainland mobile for SMS."""
    fits = {"email": bool(_EMAIL.match(target)), "sms": bool(MOBILE.match(target))}.get(
        kind, target.startswith(("https://", "http://")))
    if not fits:
        raise AppError(CHANNEL_TARGET, detail=kind)


def create_channel(session: Session, *, staff_org: str, by: str, now: datetime, name: str, kind: str,
                   target: str, secret: str, area_code: str, min_severity: str,
                   language: str = "zh") -> NotificationChannel:
    _require_area(session, staff_org, area_code)
    check_target(kind, target)
    channel = NotificationChannel(name=name, kind=kind, target=target, secret=secret, area_code=area_code,
                                  min_severity=min_severity, language=language, rate_per_minute=RATE[kind],
                                  active=True, created_by=by, created_at=now)
    session.add(channel)
    session.flush()
    return channel


def channel_view(channel: NotificationChannel) -> dict[str, Any]:
    """What the API shows of a channel: never its secret, and a webhook URL's query hidden
    (robot URLs carry their access token there)."""
    return {"id": channel.id, "name": channel.name, "kind": channel.kind, "target": masked_target(channel),
            "has_secret": bool(channel.secret), "area_code": channel.area_code,
            "min_severity": channel.min_severity, "rate_per_minute": channel.rate_per_minute,
            "created_by": channel.created_by, "created_at": channel.created_at.isoformat()}


def masked_target(channel: NotificationChannel) -> str:
    if channel.kind == "sms":
        return channel.target[:3] + "****" + channel.target[-4:]
    if channel.kind == "email":
        return channel.target
    return channel.target.split("?", 1)[0] + ("?…" if "?" in channel.target else "")


def list_channels(session: Session, *, staff_org: str) -> list[NotificationChannel]:
    top = unit(session, staff_org)
    query = select(NotificationChannel).join(OrgUnit, OrgUnit.code == NotificationChannel.area_code).where(
        NotificationChannel.active.is_(True), OrgUnit.path.startswith(top.path)
    ).order_by(NotificationChannel.id)
    return list(session.scalars(query))


def visible_channel(session: Session, *, staff_org: str, channel_id: int) -> NotificationChannel:
    channel = session.get(NotificationChannel, channel_id)
    if channel is None or not channel.active or not within(session, staff_org=staff_org,
                                                           area_code=channel.area_code):
        raise AppError(CHANNEL_NOT_FOUND, detail=str(channel_id))
    return channel


def delete_channel(session: Session, *, staff_org: str, channel_id: int) -> None:
    """Deactivate: its delivery log stays, nothing more is sent."""
    visible_channel(session, staff_org=staff_org, channel_id=channel_id).active = False


def test_channel(session: Session, *, staff_org: str, channel_id: int, by: str, now: datetime) -> None:
    channel = visible_channel(session, staff_org=staff_org, channel_id=channel_id)
    outbox.enqueue(session, dedup_id=f"test:{channel.id}:{now.timestamp():.6f}", kind="test", now=now,
                   channel_id=channel.id, payload={"by": by})


def add_silence(session: Session, *, staff_org: str, by: str, now: datetime, minutes: int,
                station_id: str | None, area_code: str | None, reason: str,
                station_area: str | None = None) -> Silence:
    _require_area(session, staff_org, area_code or station_area or "")
    silence = Silence(station_id=station_id, area_code=area_code, reason=reason, starts_at=now,
                      ends_at=now + timedelta(minutes=minutes), created_by=by)
    session.add(silence)
    session.flush()
    return silence


def list_silences(session: Session, *, now: datetime) -> list[Silence]:
    return list(session.scalars(select(Silence).where(Silence.ends_at > now).order_by(Silence.ends_at)))


def end_silence(session: Session, *, silence_id: int, now: datetime) -> None:
    silence = session.get(Silence, silence_id)
    if silence is None or silence.ends_at <= now:
        raise AppError(SILENCE_NOT_FOUND, detail=str(silence_id))
    silence.ends_at = now


def silence_view(silence: Silence) -> dict[str, Any]:
    return {"id": silence.id, "station_id": silence.station_id, "area_code": silence.area_code,
            "reason": silence.reason, "starts_at": silence.starts_at.isoformat(),
            "ends_at": silence.ends_at.isoformat(), "created_by": silence.created_by}


def add_shift(session: Session, *, staff_org: str, channel_id: int, days: str, starts: time,
              ends: time) -> RotaShift:
    visible_channel(session, staff_org=staff_org, channel_id=channel_id)
    shift = RotaShift(channel_id=channel_id, days=days, starts=starts, ends=ends)
    session.add(shift)
    session.flush()
    return shift


def delivery_log(session: Session, *, alert_id: int) -> list[dict[str, Any]]:
    """Each message about an alert: channel, time, result, attempts."""
    query = select(NotificationDelivery, NotificationChannel).join(
        DeliveryAlert, DeliveryAlert.delivery_id == NotificationDelivery.id).join(
        NotificationChannel, NotificationChannel.id == NotificationDelivery.channel_id).where(
        DeliveryAlert.alert_id == alert_id).order_by(NotificationDelivery.id)
    return [{"id": d.id, "channel": {"id": c.id, "name": c.name, "kind": c.kind}, "kind": d.kind,
             "state": d.state, "attempts": d.attempts, "created_at": d.created_at.isoformat(),
             "sent_at": d.sent_at.isoformat() if d.sent_at else None, "error": d.last_error,
             "dedup_id": d.dedup_id} for d, c in session.execute(query)]
