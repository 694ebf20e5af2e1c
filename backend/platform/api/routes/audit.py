"""The audit log of staff actions (administrators)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from ...services import audit
from ..deps import RuntimeDep, StaffDep

router = APIRouter(prefix="/api/staff/audit", tags=["audit"])


@router.get("")
def audit_log(staff: StaffDep, runtime: RuntimeDep, limit: int = Query(100, ge=1, le=1000),
              target: str | None = None) -> list[dict[str, Any]]:
    """The latest staff actions in the user's area: who, what, when, which target."""
    staff.require("audit")
    with runtime.db() as session:
        return audit.recent(session, viewer_org=staff.org_code, limit=limit, target=target)
