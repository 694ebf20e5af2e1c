"""Applying the platform's changes at the station: a registry by change kind.

An applier changes the database inside the page's transaction (the cursor moves in the same
transaction, so each change applies once) and may return an effect to run after the commit —
for what lives outside the database, like the trust-list file or the catalog in memory.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.shared.catalog import parse_catalog
from backend.shared.protocol import Change, ChangeKind, RegisterEntry

from ..db.models import Certificate, PlatformCommand, Resident, RevokedCertificate, StationNotice
from ..services.issuing import move_certificate
from ..services.platform_decisions import apply_platform_decision
from ..services.tickets import apply_status as apply_ticket_status
from . import state

if TYPE_CHECKING:
    from ..runtime import StationRuntime

Effect = Callable[[], None]
ChangeApplier = Callable[["ApplyContext", Change], Effect | None]
APPLIERS: dict[str, ChangeApplier] = {}


@dataclass
class ApplyContext:
    session: Session
    runtime: StationRuntime
    now: datetime


def applies(kind: ChangeKind) -> Callable[[ChangeApplier], ChangeApplier]:
    """Register the function that applies one kind of change."""
    def decorate(function: ChangeApplier) -> ChangeApplier:
        APPLIERS[kind.value] = function
        return function
    return decorate


@applies(ChangeKind.REGISTER)
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


@applies(ChangeKind.CATALOG)
def catalog(ctx: ApplyContext, change: Change) -> Effect | None:
    parsed = parse_catalog(change.payload, source="platform catalog")  # refuse a bad one whole
    state.put(ctx.session, state.CATALOG, change.payload, now=ctx.now)
    runtime = ctx.runtime
    return lambda: setattr(runtime, "catalog", parsed)


@applies(ChangeKind.TRUST)
def trust(ctx: ApplyContext, change: Change) -> Effect | None:
    state.put(ctx.session, state.TRUST, change.payload, now=ctx.now)
    keys, jwks = ctx.runtime.keys, change.payload
    return lambda: keys.save_trust_list(jwks)


@applies(ChangeKind.RELEASE_KEYS)
def release_keys(ctx: ApplyContext, change: Change) -> Effect | None:
    # Kept as received; the updater trusts its keys only if an install-time key signed them.
    state.put(ctx.session, state.RELEASE_KEYS, change.payload, now=ctx.now)
    return None


@applies(ChangeKind.NOTICE)
def notice(ctx: ApplyContext, change: Change) -> Effect | None:
    row = ctx.session.get(StationNotice, change.key)
    if row is None:
        ctx.session.add(StationNotice(id=change.key, payload=change.payload, updated_at=ctx.now))
    else:
        row.payload, row.updated_at = change.payload, ctx.now
    return None


@applies(ChangeKind.REVOCATION)
def revocation(ctx: ApplyContext, change: Change) -> Effect | None:
    p = change.payload
    issuer, serial = str(p["issuer"]), str(p["serial"])
    if ctx.session.get(RevokedCertificate, (issuer, serial)) is None:
        ctx.session.add(RevokedCertificate(issuer=issuer, serial=serial,
                                           identifier=str(p.get("identifier", "")),
                                           reason=str(p.get("reason", ""))[:255], revoked_at=ctx.now))
    own = ctx.session.scalar(select(Certificate).where(Certificate.serial == serial))
    if own is not None and issuer == ctx.runtime.settings.station_id and own.state != "revoked":
        move_certificate(ctx.session, own, "revoked", actor="platform", at=ctx.now,
                         reason=str(p.get("reason", ""))[:255])
    runtime = ctx.runtime
    return lambda: load_revocations(runtime)


@applies(ChangeKind.TICKET)
def ticket(ctx: ApplyContext, change: Change) -> Effect | None:
    # The platform's status of a community ticket, kept for 进度查询 (offline too).
    apply_ticket_status(ctx.session, change.payload, now=ctx.now)
    return None


@applies(ChangeKind.COMMAND)
def command(ctx: ApplyContext, change: Change) -> Effect | None:
    p: dict[str, Any] = change.payload
    if ctx.session.get(PlatformCommand, str(p["id"])) is None:
        ctx.session.add(PlatformCommand(id=str(p["id"]), kind=str(p["kind"]),
                                        params=dict(p.get("params", {})), received_at=ctx.now))
    return None


@applies(ChangeKind.APPLICATION)
def application_decision(ctx: ApplyContext, change: Change) -> Effect | None:
    # A staff decision made on the platform; the outcome goes back up through the outbox.
    runtime = ctx.runtime
    apply_platform_decision(ctx.session, ctx=runtime.issuer, catalog=runtime.catalog,
                            payload=change.payload, now=ctx.now)
    return None


@applies(ChangeKind.IDENTITY)
def identity_keys(ctx: ApplyContext, change: Change) -> Effect | None:
    # The platform's keys that sign resident QR codes (restored from here at start-up).
    state.put(ctx.session, state.IDENTITY, change.payload, now=ctx.now)
    keys, jwks = ctx.runtime.keys, change.payload
    return lambda: keys.save_identity_keys(jwks)


def load_revocations(runtime: StationRuntime) -> None:
    """Give the verifier the current revocation list."""
    with runtime.db() as session:
        pairs = frozenset((issuer, serial) for issuer, serial in session.execute(
            select(RevokedCertificate.issuer, RevokedCertificate.serial)).all())
    runtime.revoked = pairs


# Volunteers and emergency mode register their appliers here; imported last (they use `applies`).
from . import community_appliers as _community_appliers  # noqa: E402,F401
from . import volunteer_appliers as _volunteer_appliers  # noqa: E402,F401
