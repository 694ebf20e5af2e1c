"""The district's certificate registry: search (never by full ID number), read, revoke."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from ...db.session import write_transaction
from ...services import audit
from ...services.certificates import registry
from ..deps import RuntimeDep, VisibilityDep

router = APIRouter(prefix="/api/staff/certificates", tags=["certificates"])


class RevokeBody(BaseModel):
    reason: str = Field(min_length=1, max_length=255)


@router.get("")
def search(visible: VisibilityDep, runtime: RuntimeDep,
           q: str = Query("", max_length=128, description="serial, identifier, masked number or name"),
           serial: str = Query("", max_length=32), name: str = Query("", max_length=64),
           id_masked: str = Query("", max_length=24), type_code: str = Query("", max_length=32),
           state: str = Query("", max_length=16), station_id: str = Query("", max_length=64),
           limit: int = Query(100, ge=1, le=1000)) -> list[dict[str, Any]]:
    """Certificates in the user's area, newest first; a full ID number is refused."""
    visible.staff.require("view")
    query = registry.Query(q=q, serial=serial, name=name, id_masked=id_masked, type_code=type_code,
                           state=state, station_id=station_id)
    with runtime.db() as session:
        return registry.search(session, query, communities=visible.communities, limit=limit)


@router.get("/{certificate_id}")
def get_certificate(certificate_id: str, visible: VisibilityDep, runtime: RuntimeDep) -> dict[str, Any]:
    """One certificate: its facts, its revocation if any, the application it came from."""
    visible.staff.require("view")
    with runtime.db() as session:
        return registry.detail(session, registry.visible(session, certificate_id, visible.communities))


@router.post("/{certificate_id}/revoke")
def revoke(certificate_id: str, body: RevokeBody, visible: VisibilityDep,
           runtime: RuntimeDep) -> dict[str, Any]:
    """Revoke a certificate with a reason (administrators); every station's verifier then refuses it."""
    visible.staff.require("revoke")
    now = runtime.clock.now()
    with write_transaction(runtime.db) as session:
        record = registry.visible(session, certificate_id, visible.communities)
        registry.revoke(session, record, reason=body.reason, by=visible.staff.username, now=now)
        audit.record(session, actor=visible.staff.username, action="certificate.revoke",
                     target=f"certificate:{record.identifier}", at=now, detail={"reason": body.reason})
        result = registry.detail(session, record)
    runtime.publish([{"type": "certificate.revoked", "id": certificate_id, "station_id": record.station_id,
                      "community": record.community_code}])
    return result
