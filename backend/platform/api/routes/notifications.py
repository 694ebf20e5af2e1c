"""Notification channels, silences, rota and each alert's delivery log, for staff of an area."""

from __future__ import annotations

from datetime import time
from typing import Any, Literal

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field, model_validator
from sqlalchemy.orm import Session

from backend.shared.api_params import RowId
from backend.shared.errors import AppError

from ...db.area_models import Station
from ...db.fleet_models import Alert
from ...db.notify_models import Silence
from ...db.session import write_transaction
from ...services import audit, fleet_service
from ...services.errors import ALERT_NOT_FOUND
from ...services.notify import channels as channel_service
from ...services.notify.senders import KINDS
from ..deps import RuntimeDep, Visibility, VisibilityDep

router = APIRouter(prefix="/api/staff", tags=["notifications"])
Kind = Literal["webhook", "wecom", "dingtalk", "feishu", "email", "sms"]
Severity = Literal["info", "warning", "critical"]
assert set(KINDS) == {"webhook", "wecom", "dingtalk", "feishu", "email", "sms"}


# No control characters (a NUL byte is refused by PostgreSQL deep in the driver); codes are codes.
PRINTABLE = r"^[^\x00-\x1f\x7f]*$"
CODE = r"^[0-9A-Za-z_.-]+$"


class ChannelBody(BaseModel):
    name: str = Field(min_length=1, max_length=64, pattern=PRINTABLE)
    kind: Kind
    target: str = Field(min_length=3, max_length=512, pattern=PRINTABLE)
    secret: str | None = Field(None, max_length=256, pattern=PRINTABLE)
    area_code: str = Field(min_length=2, max_length=32, pattern=CODE)
    min_severity: Severity = "warning"
    language: Literal["zh", "en"] = "zh"


class SilenceBody(BaseModel):
    station_id: str | None = Field(None, max_length=64, pattern=CODE)
    area_code: str | None = Field(None, max_length=32, pattern=CODE)
    minutes: int = Field(60, ge=1, le=60 * 24 * 14)
    reason: str = Field("", max_length=255, pattern=PRINTABLE)

    @model_validator(mode="after")
    def _one_target(self) -> SilenceBody:
        if bool(self.station_id) == bool(self.area_code):
            raise ValueError("give a station_id or an area_code")
        return self


class ShiftBody(BaseModel):
    days: Literal["workday", "holiday", "any"] = "any"
    starts: time
    ends: time


@router.post("/notification-channels", status_code=201)
def create_channel(body: ChannelBody, visible: VisibilityDep, runtime: RuntimeDep) -> dict[str, Any]:
    """Add a channel for an area at or below the user's own."""
    visible.staff.require("alerts")
    now = runtime.clock.now()
    with write_transaction(runtime.db) as session:
        channel = channel_service.create_channel(
            session, staff_org=visible.staff.org_code, by=visible.staff.username, now=now, name=body.name,
            kind=body.kind, target=body.target, secret=body.secret or "", area_code=body.area_code,
            min_severity=body.min_severity, language=body.language)
        audit.record(session, actor=visible.staff.username, action="notify.channel.create",
                     target=f"channel:{channel.id}", at=now,
                     detail={"kind": body.kind, "area": body.area_code})
        return channel_service.channel_view(channel)


@router.get("/notification-channels")
def list_channels(visible: VisibilityDep, runtime: RuntimeDep) -> list[dict[str, Any]]:
    """Channels of the user's area and below (secrets never shown)."""
    with runtime.db() as session:
        found = channel_service.list_channels(session, staff_org=visible.staff.org_code)
        return [channel_service.channel_view(c) for c in found]


@router.delete("/notification-channels/{channel_id}", status_code=204)
def delete_channel(channel_id: RowId, visible: VisibilityDep, runtime: RuntimeDep) -> Response:
    """Stop sending to a channel (its delivery log stays)."""
    visible.staff.require("alerts")
    now = runtime.clock.now()
    with write_transaction(runtime.db) as session:
        channel_service.delete_channel(session, staff_org=visible.staff.org_code, channel_id=channel_id)
        audit.record(session, actor=visible.staff.username, action="notify.channel.delete",
                     target=f"channel:{channel_id}", at=now)
    return Response(status_code=204)


@router.post("/notification-channels/{channel_id}/test", status_code=202)
def test_channel(channel_id: RowId, visible: VisibilityDep, runtime: RuntimeDep) -> dict[str, Any]:
    """Queue a test message to the channel (see its delivery in the log)."""
    visible.staff.require("alerts")
    now = runtime.clock.now()
    with write_transaction(runtime.db) as session:
        channel_service.test_channel(session, staff_org=visible.staff.org_code, channel_id=channel_id,
                                     by=visible.staff.username, now=now)
    return {"queued": True}


@router.post("/notification-channels/{channel_id}/rota", status_code=201)
def add_shift(channel_id: RowId, body: ShiftBody, visible: VisibilityDep,
              runtime: RuntimeDep) -> dict[str, Any]:
    """Put the channel on a rota: it hears only during its shifts (local time)."""
    visible.staff.require("alerts")
    with write_transaction(runtime.db) as session:
        shift = channel_service.add_shift(session, staff_org=visible.staff.org_code, channel_id=channel_id,
                                          days=body.days, starts=body.starts, ends=body.ends)
        return {"id": shift.id, "channel_id": channel_id, "days": shift.days,
                "starts": shift.starts.isoformat(), "ends": shift.ends.isoformat()}


@router.post("/silences", status_code=201)
def add_silence(body: SilenceBody, visible: VisibilityDep, runtime: RuntimeDep) -> dict[str, Any]:
    """Mute a station or an area for maintenance; its alerts are still recorded."""
    visible.staff.require("alerts")
    now = runtime.clock.now()
    with write_transaction(runtime.db) as session:
        station_area = visible.station(session, body.station_id).community_code if body.station_id else None
        silence = channel_service.add_silence(
            session, staff_org=visible.staff.org_code, by=visible.staff.username, now=now,
            minutes=body.minutes, station_id=body.station_id, area_code=body.area_code, reason=body.reason,
            station_area=station_area)
        audit.record(session, actor=visible.staff.username, action="notify.silence",
                     target=f"silence:{silence.id}", at=now, detail={"minutes": body.minutes})
        return channel_service.silence_view(silence)


@router.get("/silences")
def list_silences(visible: VisibilityDep, runtime: RuntimeDep) -> list[dict[str, Any]]:
    """Silences in force in the user's area."""
    with runtime.db() as session:
        found = channel_service.list_silences(session, now=runtime.clock.now())
        return [channel_service.silence_view(s) for s in found if _sees(session, visible, s)]


@router.delete("/silences/{silence_id}", status_code=204)
def end_silence(silence_id: RowId, visible: VisibilityDep, runtime: RuntimeDep) -> Response:
    """End a silence now."""
    visible.staff.require("alerts")
    with write_transaction(runtime.db) as session:
        channel_service.end_silence(session, silence_id=silence_id, now=runtime.clock.now())
    return Response(status_code=204)


@router.get("/alerts/{alert_id}/deliveries")
def deliveries(alert_id: RowId, visible: VisibilityDep, runtime: RuntimeDep) -> list[dict[str, Any]]:
    """Each notification about the alert: channel, time, result, attempts."""
    with runtime.db() as session:
        alert = session.get(Alert, alert_id)
        if alert is None or alert.station_id not in fleet_service.visible_station_ids(
                session, visible.communities):
            raise AppError(ALERT_NOT_FOUND, detail=str(alert_id))
        return channel_service.delivery_log(session, alert_id=alert_id)


def _sees(session: Session, visible: Visibility, silence: Silence) -> bool:
    if silence.area_code:
        return channel_service.within(session, staff_org=visible.staff.org_code, area_code=silence.area_code)
    station = session.get(Station, silence.station_id)
    return station is not None and station.community_code in visible.communities
