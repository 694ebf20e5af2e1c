"""Staff accounts (administrators): each bound to an organisation unit and a role."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from backend.shared.errors import FORBIDDEN, AppError

from ...db.session import write_transaction
from ...services import audit, auth, org
from ..deps import RuntimeDep, VisibilityDep

router = APIRouter(prefix="/api/staff/users", tags=["users"])


class NewUser(BaseModel):
    username: str = Field(pattern=r"^[A-Za-z0-9_.-]{2,64}$")
    password: str = Field(min_length=12, max_length=256)
    role: Literal["staff", "technician", "admin"]
    org_code: str
    display_name: str = Field("", max_length=64)


@router.post("", status_code=201)
def create_user(body: NewUser, visible: VisibilityDep, runtime: RuntimeDep) -> dict[str, Any]:
    """Add a user under a unit the administrator can see."""
    visible.staff.require("users")
    now = runtime.clock.now()
    with write_transaction(runtime.db) as session:
        unit = org.unit(session, body.org_code)
        own = org.unit(session, visible.staff.org_code)
        if not unit.path.startswith(own.path):
            raise AppError(FORBIDDEN, detail=body.org_code)
        user = auth.create_user(session, username=body.username, password=body.password, role=body.role,
                                org_code=body.org_code, now=now, display_name=body.display_name)
        audit.record(session, actor=visible.staff.username, action="user.create",
                     target=f"user:{body.username}", at=now, detail={"role": body.role,
                                                                   "org_code": body.org_code})
        return {"id": user.id, "username": user.username, "role": user.role, "org_code": user.org_code}
