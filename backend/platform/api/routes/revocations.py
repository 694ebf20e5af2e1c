"""Revoking a certificate (administrators): verifiers everywhere then refuse it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from ...db.session import write_transaction
from ...services import audit, publishing
from ..deps import RuntimeDep, VisibilityDep

router = APIRouter(prefix="/api/staff/revocations", tags=["revocations"])


class RevokeBody(BaseModel):
    identifier: str = Field(min_length=10, max_length=128)
    reason: str = Field(min_length=1, max_length=255)


@router.post("", status_code=201)
def revoke(body: RevokeBody, visible: VisibilityDep, runtime: RuntimeDep) -> dict[str, Any]:
    """Revoke a certificate by its identifier and tell every station."""
    visible.staff.require("revoke")
    now = runtime.clock.now()
    with write_transaction(runtime.db) as session:
        result = publishing.revoke(session, identifier=body.identifier, reason=body.reason,
                                   by=visible.staff.username, now=now, communities=visible.communities)
        audit.record(session, actor=visible.staff.username, action="certificate.revoke",
                     target=f"certificate:{body.identifier}", at=now, detail={"reason": body.reason})
    return result
