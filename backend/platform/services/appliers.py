"""What each kind of station event does on the platform: a registry by event type.

An applier either changes records or raises ``Rejected`` before changing anything (the event is
then kept as rejected and the batch goes on). Later issues register tickets and ratings here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from backend.shared.protocol import EventType, OutboxEventIn

from ..db.models import CertificateRecord, Command, ComponentState, Station, StationState
from . import alerts


class Rejected(Exception):
    """The event cannot be applied; ``reason`` is kept with it."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class ApplyContext:
    session: Session
    station: Station
    now: datetime
    print_failure_alert_count: int
    notes: list[dict[str, Any]] = field(default_factory=list)
    certificates: dict[str, CertificateRecord | None] = field(default_factory=dict)
    identifiers: set[str] = field(default_factory=set)  # identifiers already registered
    prefetched: bool = False
    # New certificates of this batch, inserted together (one executemany, no ORM objects) before
    # anything else reads the table: the registry's hot path is thousands of issued events a batch.
    new_certificates: dict[str, dict[str, Any]] = field(default_factory=dict)

    def write_new_certificates(self) -> None:
        """Insert the batch's new certificates now (before another applier may read them)."""
        if self.new_certificates:
            self.session.execute(insert(CertificateRecord), list(self.new_certificates.values()))
            for cid in self.new_certificates:
                self.certificates.pop(cid, None)  # prefetched as absent; read from the table from now on
            self.new_certificates.clear()


Applier = Callable[[ApplyContext, OutboxEventIn], None]
APPLIERS: dict[str, Applier] = {}
CERTIFICATE_EVENTS = (EventType.CERTIFICATE_ISSUED, EventType.CERTIFICATE_PRINTED,
                      EventType.CERTIFICATE_PRINT_FAILED)


def prefetch(ctx: ApplyContext, events: list[OutboxEventIn]) -> None:
    """Load what a batch's appliers will look up in two queries, not two per event."""
    ids = {str(e.payload.get("id")) for e in events if e.type in CERTIFICATE_EVENTS}
    identifiers = {str(e.payload.get("identifier")) for e in events
                   if e.type == EventType.CERTIFICATE_ISSUED}
    if not ids:
        return
    ctx.prefetched = True
    ctx.certificates = dict.fromkeys(ids)
    for record in ctx.session.scalars(select(CertificateRecord).where(CertificateRecord.id.in_(ids))):
        ctx.certificates[record.id] = record
    ctx.identifiers = set(ctx.session.scalars(select(CertificateRecord.identifier)
                                              .where(CertificateRecord.identifier.in_(identifiers))))


def _certificate(ctx: ApplyContext, cid: str) -> CertificateRecord | None:
    if cid in ctx.new_certificates:
        ctx.write_new_certificates()
        return ctx.session.get(CertificateRecord, cid)
    if cid in ctx.certificates:
        return ctx.certificates[cid]
    return ctx.session.get(CertificateRecord, cid)


def applies(event_type: str) -> Callable[[Applier], Applier]:
    """Register the function that applies one event type."""
    def decorate(function: Applier) -> Applier:
        APPLIERS[event_type] = function
        return function
    return decorate


def _require(payload: dict[str, Any], *names: str) -> list[Any]:
    missing = [n for n in names if n not in payload]
    if missing:
        raise Rejected(f"payload lacks {', '.join(missing)}")
    return [payload[n] for n in names]


def _when(value: Any) -> datetime:
    try:
        return datetime.fromisoformat(str(value))
    except ValueError as err:
        raise Rejected("bad timestamp") from err


@applies(EventType.CERTIFICATE_ISSUED)
def certificate_issued(ctx: ApplyContext, event: OutboxEventIn) -> None:
    p = event.payload
    cid, serial, identifier, type_code = _require(p, "id", "serial", "identifier", "type_code")
    issued_at, expires_at = _when(p.get("issued_at")), _when(p.get("expires_at"))
    if str(cid) in ctx.new_certificates:
        return  # issued earlier in this batch, by this station
    existing = _certificate(ctx, str(cid))
    if existing is not None:
        if existing.station_id != ctx.station.id:
            raise Rejected("certificate belongs to another station")
        return
    if str(serial).split("-")[1:2] != [ctx.station.station_code]:
        raise Rejected("serial not of this station's code")
    taken = str(identifier) in ctx.identifiers or (not ctx.prefetched and ctx.session.scalar(
        select(CertificateRecord.id).where(CertificateRecord.identifier == identifier)) is not None)
    if taken:
        raise Rejected("identifier already registered")
    ctx.new_certificates[str(cid)] = dict(
        id=str(cid), station_id=ctx.station.id, community_code=ctx.station.community_code,
        serial=str(serial), identifier=str(identifier), type_code=str(type_code),
        holder_id_masked=str(p.get("holder_id_masked", ""))[:24], purpose=str(p.get("purpose", ""))[:64],
        holder_name=str(p.get("holder_name", ""))[:64], details=_details(p.get("details")),
        token=str(p.get("token", "")), state="issued", issued_at=issued_at, expires_at=expires_at,
        print_count=0, print_failures=0, last_error="", updated_at=ctx.now)
    ctx.identifiers.add(str(identifier))


def _details(value: Any) -> dict[str, Any]:
    # The certificate's text facts (address, since, what the resident entered) for its phone copy.
    if not isinstance(value, dict):
        return {}
    return {str(k)[:32]: str(v)[:255] for k, v in list(value.items())[:16]}


def _own_certificate(ctx: ApplyContext, event: OutboxEventIn) -> CertificateRecord:
    (cid,) = _require(event.payload, "id")
    record = _certificate(ctx, str(cid))
    if record is None:
        raise Rejected("unknown certificate")
    if record.station_id != ctx.station.id:
        raise Rejected("certificate belongs to another station")
    return record


@applies(EventType.CERTIFICATE_PRINTED)
def certificate_printed(ctx: ApplyContext, event: OutboxEventIn) -> None:
    record = _own_certificate(ctx, event)
    record.state, record.last_error, record.updated_at = "printed", "", ctx.now
    record.print_count = max(record.print_count, int(event.payload.get("print_count", 0)))
    _print_outcome(ctx, failed=False)


@applies(EventType.CERTIFICATE_PRINT_FAILED)
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


@applies(EventType.COMPONENT_STATUS)
def component_status(ctx: ApplyContext, event: OutboxEventIn) -> None:
    cid, state, code = _require(event.payload, "id", "state", "code")
    upsert_component(ctx.session, station_id=ctx.station.id, report=event.payload, now=ctx.now)
    ctx.notes.append({"type": "component.status", "station_id": ctx.station.id, "component": cid,
                      "state": state, "code": code})
    if cid == "printer":
        alerts.evaluate_printer(ctx.session, station_id=ctx.station.id, now=ctx.now, notes=ctx.notes)
    elif event.payload.get("kind") == "process":
        ctx.session.flush()  # the upsert above is what the evaluation reads
        alerts.evaluate_parts(ctx.session, station_id=ctx.station.id, now=ctx.now, notes=ctx.notes)


def upsert_component(session: Session, *, station_id: str, report: dict[str, Any], now: datetime) -> None:
    """Record a component's reported status."""
    row = session.get(ComponentState, (station_id, str(report["id"])))
    if row is None:
        row = ComponentState(station_id=station_id, component_id=str(report["id"])[:32], changed_at=now)
        session.add(row)
    changed = (row.state, row.code) != (report["state"], report["code"])
    row.kind = str(report.get("kind", ""))[:32]
    row.state, row.code = str(report["state"]), str(report["code"])
    row.detail, row.simulated = str(report.get("detail", ""))[:255], bool(report.get("simulated", False))
    if changed:
        row.changed_at = now


@applies(EventType.SERVICE_STATE)
def service_state(ctx: ApplyContext, event: OutboxEventIn) -> None:
    (state,) = _require(event.payload, "state")
    row = ctx.session.get(StationState, ctx.station.id)
    assert row is not None
    row.service_state, row.service_reason = str(state)[:16], event.payload.get("reason")
    row.services = list(event.payload.get("services", []))
    ctx.notes.append({"type": "station.service", "station_id": ctx.station.id, "state": state,
                      "reason": event.payload.get("reason")})


@applies(EventType.COMMAND_RESULT)
def command_result(ctx: ApplyContext, event: OutboxEventIn) -> None:
    (command_id,) = _require(event.payload, "command_id")
    command = ctx.session.get(Command, str(command_id))
    if command is None or command.station_id != ctx.station.id:
        raise Rejected("not a command to this station")
    command.status = "done" if event.payload.get("ok") else "failed"
    command.result = {k: v for k, v in event.payload.items() if k != "command_id"}
    command.finished_at = ctx.now
    ctx.notes.append({"type": "command.finished", "station_id": ctx.station.id, "command_id": command.id,
                      "kind": command.kind, "status": command.status})


# Tickets, ratings and applications register their appliers here; imported last (they use `applies`).
from ..certificates import appliers as _certificate_appliers  # noqa: E402,F401
from ..community import appliers as _community_appliers  # noqa: E402,F401
from ..tickets import appliers as _ticket_appliers  # noqa: E402,F401
from . import rollouts as _rollout_appliers  # noqa: E402,F401
