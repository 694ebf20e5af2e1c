"""Station events about the station itself, applied by the platform: a component's status, the
services the station offers, and the result of a command sent to it."""

from __future__ import annotations

from sqlalchemy import update

from backend.shared.protocol import EventType, OutboxEventIn

from ..db.area_models import Command
from ..db.fleet_models import StationState
from . import alerts
from .applier_registry import Appliers, ApplyContext, Rejected, require
from .heartbeat import upsert_component


def component_status(ctx: ApplyContext, event: OutboxEventIn) -> None:
    cid, state, code = require(event.payload, "id", "state", "code")
    upsert_component(ctx.session, station_id=ctx.station.id, report=event.payload, now=ctx.now)
    _forget_heartbeat_digest(ctx)
    ctx.notes.append({"type": "component.status", "station_id": ctx.station.id, "component": cid,
                      "state": state, "code": code})
    if cid == "printer":
        alerts.evaluate_printer(ctx.session, station_id=ctx.station.id, now=ctx.now, notes=ctx.notes)
    elif event.payload.get("kind") == "process":
        ctx.session.flush()  # the upsert above is what the evaluation reads
        alerts.evaluate_parts(ctx.session, station_id=ctx.station.id, now=ctx.now, notes=ctx.notes)


def _forget_heartbeat_digest(ctx: ApplyContext) -> None:
    """An event may arrive after a newer heartbeat (the outbox drains behind the beats) and set a
    component or service back to an older state. The stored digest then no longer describes what
    is stored, so the next heartbeat must take the full path and put the current state back;
    otherwise an unchanged beat is a mere touch and the stale state (an alert) stays for good."""
    ctx.session.execute(update(StationState).where(StationState.station_id == ctx.station.id)
                        .values(digest="").execution_options(synchronize_session=False))


def service_state(ctx: ApplyContext, event: OutboxEventIn) -> None:
    (state,) = require(event.payload, "state")
    row = ctx.session.get(StationState, ctx.station.id)
    assert row is not None
    row.service_state, row.service_reason = str(state)[:16], event.payload.get("reason")
    row.services = list(event.payload.get("services", []))
    row.digest = ""  # see _forget_heartbeat_digest
    ctx.notes.append({"type": "station.service", "station_id": ctx.station.id, "state": state,
                      "reason": event.payload.get("reason")})


def command_result(ctx: ApplyContext, event: OutboxEventIn) -> None:
    (command_id,) = require(event.payload, "command_id")
    command = ctx.session.get(Command, str(command_id))
    if command is None or command.station_id != ctx.station.id:
        raise Rejected("not a command to this station")
    command.status = "done" if event.payload.get("ok") else "failed"
    command.result = {k: v for k, v in event.payload.items() if k != "command_id"}
    command.finished_at = ctx.now
    ctx.notes.append({"type": "command.finished", "station_id": ctx.station.id, "command_id": command.id,
                      "kind": command.kind, "status": command.status})


APPLIERS = Appliers({
    EventType.COMPONENT_STATUS: component_status,
    EventType.SERVICE_STATE: service_state,
    EventType.COMMAND_RESULT: command_result,
})
