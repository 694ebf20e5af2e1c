"""The community register: import a CSV or XLSX file (all or nothing, a row-by-row report)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, UploadFile

from backend.shared.errors import FORBIDDEN, VALIDATION, AppError
from backend.shared.register_file import read_register

from ...db.session import write_transaction
from ...services import audit
from ...services import register as register_service
from ..deps import RuntimeDep, VisibilityDep

router = APIRouter(prefix="/api/staff/communities/{community_code}", tags=["register"])
MAX_FILE = 20 * 1024 * 1024


@router.post("/register")
async def import_register(community_code: str, file: UploadFile, visible: VisibilityDep,
                          runtime: RuntimeDep) -> dict[str, Any]:
    """Replace the community's register and publish the differences to its stations."""
    visible.staff.require("register")
    if community_code not in visible.communities:
        raise AppError(FORBIDDEN, detail=community_code)
    data = await file.read(MAX_FILE + 1)
    if len(data) > MAX_FILE:
        raise AppError(VALIDATION, detail="file larger than 20 MB")
    now = runtime.clock.now()
    parsed = read_register(data, file.filename or "register.csv", now.date())
    with write_transaction(runtime.db) as session:
        report = register_service.import_register(session, community_code=community_code,
                                                  parsed=parsed, protector=runtime.protector, now=now)
        audit.record(session, actor=visible.staff.username, action="register.import",
                     target=f"community:{community_code}", at=now,
                     detail={k: v for k, v in report.items() if k != "rejected"})
    return report


@router.get("/register/size")
def register_size(community_code: str, visible: VisibilityDep, runtime: RuntimeDep) -> dict[str, Any]:
    """How many residents the community's register holds."""
    if community_code not in visible.communities:
        raise AppError(FORBIDDEN, detail=community_code)
    with runtime.db() as session:
        return {"community_code": community_code,
                "residents": register_service.register_size(session, community_code)}
