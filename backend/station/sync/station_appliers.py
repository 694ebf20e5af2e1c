"""The platform's changes to the station itself: its register, catalog, keys, notices, staff
commands and the status of its community tickets (listed in ``sync.appliers``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from backend.shared.catalog import parse_catalog
from backend.shared.protocol import Change, ChangeKind, RegisterEntry

from ..db.models import PlatformCommand, Resident, StationNotice
from ..services.tickets import apply_status as apply_ticket_status
from . import state
from .applier_core import ApplyContext, Effect, Table


def register_entry(ctx: ApplyContext, change: Change) -> Effect | None:
    entry = RegisterEntry.model_validate(change.payload)
    resident = ctx.session.scalar(select(Resident).where(Resident.id_hash == entry.id_hash))
    if entry.status == "removed":
        if resident is not None:
            ctx.session.delete(resident)
        return None
    if resident is None:
        resident = Resident(id_hash=entry.id_hash, id_cipher=None)
        ctx.session.add(resident)
    resident.id_masked, resident.name, resident.sex = entry.id_masked, entry.name, entry.sex
    resident.birth_date = date.fromisoformat(entry.birth_date)
    resident.registered_since = date.fromisoformat(entry.since)
    resident.building, resident.unit, resident.room = entry.building, entry.unit, entry.room
    resident.household, resident.status, resident.updated_at = entry.household, entry.status, ctx.now
    return None


def catalog(ctx: ApplyContext, change: Change) -> Effect | None:
    parsed = parse_catalog(change.payload, source="platform catalog")  # refuse a bad one whole
    state.put(ctx.session, state.CATALOG, change.payload, now=ctx.now)
    runtime = ctx.runtime
    return lambda: setattr(runtime, "catalog", parsed)


def trust(ctx: ApplyContext, change: Change) -> Effect | None:
    state.put(ctx.session, state.TRUST, change.payload, now=ctx.now)
    keys, jwks = ctx.runtime.keys, change.payload
    return lambda: keys.save_trust_list(jwks)


def release_keys(ctx: ApplyContext, change: Change) -> Effect | None:
    # Kept as received; the updater trusts its keys only if an install-time key signed them.
    state.put(ctx.session, state.RELEASE_KEYS, change.payload, now=ctx.now)
    return None


def notice(ctx: ApplyContext, change: Change) -> Effect | None:
    row = ctx.session.get(StationNotice, change.key)
    if row is None:
        ctx.session.add(StationNotice(id=change.key, payload=change.payload, updated_at=ctx.now))
    else:
        row.payload, row.updated_at = change.payload, ctx.now
    return None


def ticket(ctx: ApplyContext, change: Change) -> Effect | None:
    # The platform's status of a community ticket, kept for 进度查询 (offline too).
    apply_ticket_status(ctx.session, change.payload, now=ctx.now)
    return None


def command(ctx: ApplyContext, change: Change) -> Effect | None:
    p: dict[str, Any] = change.payload
    if ctx.session.get(PlatformCommand, str(p["id"])) is None:
        ctx.session.add(PlatformCommand(id=str(p["id"]), kind=str(p["kind"]),
                                        params=dict(p.get("params", {})), received_at=ctx.now))
    return None


def identity_keys(ctx: ApplyContext, change: Change) -> Effect | None:
    # The platform's keys that sign resident QR codes (restored from here at start-up).
    state.put(ctx.session, state.IDENTITY, change.payload, now=ctx.now)
    keys, jwks = ctx.runtime.keys, change.payload
    return lambda: keys.save_identity_keys(jwks)



APPLIERS: Table = {
    ChangeKind.REGISTER: register_entry,
    ChangeKind.CATALOG: catalog,
    ChangeKind.TRUST: trust,
    ChangeKind.RELEASE_KEYS: release_keys,
    ChangeKind.IDENTITY: identity_keys,
    ChangeKind.NOTICE: notice,
    ChangeKind.TICKET: ticket,
    ChangeKind.COMMAND: command,
}
