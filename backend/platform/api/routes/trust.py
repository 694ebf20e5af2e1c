"""What anyone may read to verify certificates offline: the trust list and revocations."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from sqlalchemy import select

from ...db.certificate_models import Revocation
from ...services import stations
from ..deps import RuntimeDep

router = APIRouter(tags=["trust"])


@router.get("/api/trust.jwks.json")
def trust_list(runtime: RuntimeDep) -> dict[str, Any]:
    """Every enrolled station's certificate-signing public keys (JWKS, RFC 7517/8037)."""
    with runtime.db() as session:
        return stations.trust_jwks(session)


@router.get("/api/revocations")
def revocations(runtime: RuntimeDep) -> list[dict[str, Any]]:
    """Every revoked certificate as (issuer station, serial)."""
    with runtime.db() as session:
        rows = session.scalars(select(Revocation).order_by(Revocation.id))
        return [{"issuer": r.issuer, "serial": r.serial, "identifier": r.identifier,
                 "revoked_at": r.revoked_at.isoformat()} for r in rows]
