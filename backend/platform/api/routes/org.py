"""The organisation tree as the signed-in user sees it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from ...services import org
from ..deps import RuntimeDep, StaffDep

router = APIRouter(prefix="/api/staff", tags=["org"])


@router.get("/org")
def org_tree(staff: StaffDep, runtime: RuntimeDep) -> list[dict[str, Any]]:
    """List the units at or under the user's own unit."""
    with runtime.db() as session:
        return org.tree_view(session, staff.org_code)
