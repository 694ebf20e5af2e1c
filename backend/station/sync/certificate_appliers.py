"""The platform's certificate changes at the station: revocations and staff decisions on
applications (listed in ``sync.appliers``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from backend.shared.protocol import Change, ChangeKind

from ..db.models import Certificate, RevokedCertificate
from ..services.issuing import move_certificate
from ..services.platform_decisions import apply_platform_decision
from .applier_core import ApplyContext, Effect, Table

if TYPE_CHECKING:
    from ..runtime import StationRuntime


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


def application_decision(ctx: ApplyContext, change: Change) -> Effect | None:
    # A staff decision made on the platform; the outcome goes back up through the outbox.
    runtime = ctx.runtime
    apply_platform_decision(ctx.session, ctx=runtime.issuer, catalog=runtime.catalog,
                            payload=change.payload, now=ctx.now)
    return None


def load_revocations(runtime: StationRuntime) -> None:
    """Give the verifier the current revocation list."""
    with runtime.db() as session:
        pairs = frozenset((issuer, serial) for issuer, serial in session.execute(
            select(RevokedCertificate.issuer, RevokedCertificate.serial)).all())
    runtime.revoked = pairs


APPLIERS: Table = {
    ChangeKind.REVOCATION: revocation,
    ChangeKind.APPLICATION: application_decision,
}
