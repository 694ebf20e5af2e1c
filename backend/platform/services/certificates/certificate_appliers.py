"""Station events about certificates and applications, applied by the platform (listed in
``services.ingest``). A station may only report its own applications and certificates.

The registry's hot path is thousands of ``certificate.issued`` events a batch: what they look up
is prefetched in two queries, and the new certificates are inserted together (one executemany, no
ORM objects) before any other applier reads the table."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import insert, select

from backend.shared.applications import DecisionReport
from backend.shared.protocol import EventType, OutboxEventIn

from ...db.certificate_models import ApplicationRecord, CertificateRecord
from ...db.fleet_models import StationState
from .. import alerts
from ..applier_registry import Appliers, ApplyContext, Rejected, require, when
from . import applications

LIVE_STATES = ("issued", "printed", "print_failed")
CERTIFICATE_EVENTS = (EventType.CERTIFICATE_ISSUED, EventType.CERTIFICATE_PRINTED,
                      EventType.CERTIFICATE_PRINT_FAILED)


@dataclass
class CertificateBatch:
    """What a batch's certificate appliers prefetched and hold back."""

    certificates: dict[str, CertificateRecord | None] = field(default_factory=dict)
    identifiers: set[str] = field(default_factory=set)  # identifiers already registered
    prefetched: bool = False
    new_certificates: dict[str, dict[str, Any]] = field(default_factory=dict)


def prefetch(ctx: ApplyContext, events: list[OutboxEventIn]) -> None:
    """Load what a batch's appliers will look up in two queries, not two per event."""
    ids = {str(e.payload.get("id")) for e in events if e.type in CERTIFICATE_EVENTS}
    identifiers = {str(e.payload.get("identifier")) for e in events
                   if e.type == EventType.CERTIFICATE_ISSUED}
    if not ids:
        return
    batch = ctx.part(CertificateBatch)
    batch.prefetched = True
    batch.certificates = dict.fromkeys(ids)
    for record in ctx.session.scalars(select(CertificateRecord).where(CertificateRecord.id.in_(ids))):
        batch.certificates[record.id] = record
    batch.identifiers = set(ctx.session.scalars(select(CertificateRecord.identifier)
                                                .where(CertificateRecord.identifier.in_(identifiers))))


def write_new_certificates(ctx: ApplyContext) -> None:
    """Insert the batch's new certificates now (before another applier may read them)."""
    batch = ctx.part(CertificateBatch)
    if batch.new_certificates:
        ctx.session.execute(insert(CertificateRecord), list(batch.new_certificates.values()))
        for cid in batch.new_certificates:
            batch.certificates.pop(cid, None)  # prefetched as absent; read from the table from now on
        batch.new_certificates.clear()


def _certificate(ctx: ApplyContext, cid: str) -> CertificateRecord | None:
    batch = ctx.part(CertificateBatch)
    if cid in batch.new_certificates:
        write_new_certificates(ctx)
        return ctx.session.get(CertificateRecord, cid)
    if cid in batch.certificates:
        return batch.certificates[cid]
    return ctx.session.get(CertificateRecord, cid)


def certificate_issued(ctx: ApplyContext, event: OutboxEventIn) -> None:
    p, batch = event.payload, ctx.part(CertificateBatch)
    cid, serial, identifier, type_code = require(p, "id", "serial", "identifier", "type_code")
    issued_at, expires_at = when(p.get("issued_at")), when(p.get("expires_at"))
    if str(cid) in batch.new_certificates:
        return  # issued earlier in this batch, by this station
    existing = _certificate(ctx, str(cid))
    if existing is not None:
        if existing.station_id != ctx.station.id:
            raise Rejected("certificate belongs to another station")
        return
    if str(serial).split("-")[1:2] != [ctx.station.station_code]:
        raise Rejected("serial not of this station's code")
    taken = str(identifier) in batch.identifiers or (not batch.prefetched and ctx.session.scalar(
        select(CertificateRecord.id).where(CertificateRecord.identifier == identifier)) is not None)
    if taken:
        raise Rejected("identifier already registered")
    batch.new_certificates[str(cid)] = dict(
        id=str(cid), station_id=ctx.station.id, community_code=ctx.station.community_code,
        serial=str(serial), identifier=str(identifier), type_code=str(type_code),
        holder_id_masked=str(p.get("holder_id_masked", ""))[:24], purpose=str(p.get("purpose", ""))[:64],
        holder_name=str(p.get("holder_name", ""))[:64], details=_details(p.get("details")),
        token=str(p.get("token", "")), state="issued", issued_at=issued_at, expires_at=expires_at,
        print_count=0, print_failures=0, last_error="", updated_at=ctx.now)
    batch.identifiers.add(str(identifier))


def _details(value: Any) -> dict[str, Any]:
    # The certificate's text facts (address, since, what the resident entered) for its phone copy.
    if not isinstance(value, dict):
        return {}
    return {str(k)[:32]: str(v)[:255] for k, v in list(value.items())[:16]}


def _own_certificate(ctx: ApplyContext, event: OutboxEventIn) -> CertificateRecord:
    (cid,) = require(event.payload, "id")
    record = _certificate(ctx, str(cid))
    if record is None:
        raise Rejected("unknown certificate")
    if record.station_id != ctx.station.id:
        raise Rejected("certificate belongs to another station")
    return record


def certificate_printed(ctx: ApplyContext, event: OutboxEventIn) -> None:
    record = _own_certificate(ctx, event)
    record.state, record.last_error, record.updated_at = "printed", "", ctx.now
    record.print_count = max(record.print_count, int(event.payload.get("print_count", 0)))
    _print_outcome(ctx, failed=False)


def certificate_print_failed(ctx: ApplyContext, event: OutboxEventIn) -> None:
    record = _own_certificate(ctx, event)
    if record.state != "printed":
        record.state = "print_failed"
    record.print_failures += 1
    record.last_error, record.updated_at = str(event.payload.get("error_code", ""))[:64], ctx.now
    _print_outcome(ctx, failed=True)


def _print_outcome(ctx: ApplyContext, *, failed: bool) -> None:
    state = ctx.session.get(StationState, ctx.station.id)
    assert state is not None
    state.consecutive_print_failures = state.consecutive_print_failures + 1 if failed else 0
    alerts.set_alert(ctx.session, station_id=ctx.station.id, kind=alerts.PRINTING,
                     active=state.consecutive_print_failures >= ctx.print_failure_alert_count,
                     detail=f"{state.consecutive_print_failures} print failures in a row",
                     now=ctx.now, notes=ctx.notes)


def application_submitted(ctx: ApplyContext, event: OutboxEventIn) -> None:
    record = _reported(ctx, event.payload)
    ctx.notes.append({"type": "application.new", "id": record.id, "station_id": ctx.station.id,
                      "community": record.community_code, "type_code": record.type_code})


def application_decided(ctx: ApplyContext, event: OutboxEventIn) -> None:
    if event.payload.get("state") not in applications.DECIDED:
        raise Rejected("a decided application must be approved or rejected")
    record = _reported(ctx, event.payload)
    applications.record_station_decision(record, event.payload, at=event.created_at, now=ctx.now)
    ctx.notes.append({"type": "application.decided", "id": record.id, "station_id": ctx.station.id,
                      "community": record.community_code, "state": record.state,
                      "decided_on": record.decided_on})


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


APPLIERS = Appliers(
    {
        EventType.CERTIFICATE_ISSUED: certificate_issued,
        EventType.CERTIFICATE_PRINTED: certificate_printed,
        EventType.CERTIFICATE_PRINT_FAILED: certificate_print_failed,
        EventType.CERTIFICATE_EXPIRED: certificate_expired,
        EventType.APPLICATION_SUBMITTED: application_submitted,
        EventType.APPLICATION_DECIDED: application_decided,
        EventType.APPLICATION_PLATFORM_DECISION: application_platform_decision,
    },
    prefetch=prefetch, flush=write_new_certificates,
    held=frozenset({EventType.CERTIFICATE_ISSUED}),
)
