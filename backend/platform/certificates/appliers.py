"""Station events about applications and certificates' ends, applied by the platform (registered in
``services.appliers``). A station may only report its own applications and certificates."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import ValidationError

from backend.shared.applications import DecisionReport
from backend.shared.protocol import EventType, OutboxEventIn

from ..db.certificate_models import ApplicationRecord
from ..db.models import CertificateRecord
from ..services.appliers import ApplyContext, Rejected, applies
from . import applications

LIVE_STATES = ("issued", "printed", "print_failed")


@applies(EventType.APPLICATION_SUBMITTED)
def application_submitted(ctx: ApplyContext, event: OutboxEventIn) -> None:
    record = _reported(ctx, event.payload)
    ctx.notes.append({"type": "application.new", "id": record.id, "station_id": ctx.station.id,
                      "community": record.community_code, "type_code": record.type_code})


@applies(EventType.APPLICATION_DECIDED)
def application_decided(ctx: ApplyContext, event: OutboxEventIn) -> None:
    if event.payload.get("state") not in applications.DECIDED:
        raise Rejected("a decided application must be approved or rejected")
    record = _reported(ctx, event.payload)
    applications.record_station_decision(record, event.payload, at=event.created_at, now=ctx.now)
    ctx.notes.append({"type": "application.decided", "id": record.id, "station_id": ctx.station.id,
                      "community": record.community_code, "state": record.state,
                      "decided_on": record.decided_on})


@applies(EventType.APPLICATION_PLATFORM_DECISION)
def application_platform_decision(ctx: ApplyContext, event: OutboxEventIn) -> None:
    try:
        report = DecisionReport.model_validate(event.payload)
    except ValidationError as err:
        raise Rejected("malformed decision report") from err
    record = _own(ctx, report.id)
    applications.record_report(record, report, now=ctx.now)
    ctx.notes.append({"type": "application.delivery", "id": record.id, "station_id": ctx.station.id,
                      "community": record.community_code, "delivery": record.delivery,
                      "state": record.state})


@applies(EventType.CERTIFICATE_EXPIRED)
def certificate_expired(ctx: ApplyContext, event: OutboxEventIn) -> None:
    record = ctx.session.get(CertificateRecord, str(event.payload.get("id", "")))
    if record is None or record.station_id != ctx.station.id:
        raise Rejected("not a certificate of this station")
    if record.state in LIVE_STATES:  # a revocation stays the last word
        record.state, record.updated_at = "expired", ctx.now


def _reported(ctx: ApplyContext, payload: dict[str, Any]) -> ApplicationRecord:
    missing = [n for n in ("id", "type_code", "created_at") if not payload.get(n)]
    if missing:
        raise Rejected(f"payload lacks {', '.join(missing)}")
    if len(str(payload["id"])) > 36:
        raise Rejected("application id longer than 36 characters")
    existing = ctx.session.get(ApplicationRecord, str(payload["id"]))
    if existing is not None and existing.station_id != ctx.station.id:
        raise Rejected("application belongs to another station")
    try:
        datetime.fromisoformat(str(payload["created_at"]))
    except ValueError as err:
        raise Rejected("bad timestamp") from err
    return applications.record_reported(ctx.session, station_id=ctx.station.id,
                                        community_code=ctx.station.community_code, payload=payload,
                                        now=ctx.now)


def _own(ctx: ApplyContext, application_id: str) -> ApplicationRecord:
    record = ctx.session.get(ApplicationRecord, application_id[:36])
    if record is None:
        raise Rejected("unknown application")
    if record.station_id != ctx.station.id:
        raise Rejected("application belongs to another station")
    return record
