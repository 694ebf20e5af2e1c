"""Staff accounts (administrators): each bound to an organisation unit and a role; listed,
created, reset, deactivated and reactivated within the administrator's own area."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from backend.shared.errors import FORBIDDEN, AppError

from ...db.session import write_transaction
from ...db.staff_models import User
from ...runtime import PlatformRuntime
from ...services import accounts, audit, auth, org
from ..deps import RuntimeDep, StaffDep, VisibilityDep

router = APIRouter(prefix="/api/staff/users", tags=["users"])
Username = Field(pattern=r"^[A-Za-z0-9_.-]{2,64}$")


class NewUser(BaseModel):
    username: str = Username
    password: str = Field(min_length=12, max_length=256)
    role: Literal["staff", "technician", "admin"]
    org_code: str = Field(max_length=32)
    display_name: str = Field("", max_length=64)
    # A password the administrator chose is temporary: the user must replace it at first sign-in.
    must_change_password: bool = True


class PasswordReset(BaseModel):
    password: str = Field(min_length=12, max_length=256)


@router.get("")
def list_users(staff: StaffDep, runtime: RuntimeDep) -> list[dict[str, Any]]:
    """The accounts at or under the administrator's unit."""
    staff.require("users")
    with runtime.db() as session:
        return accounts.users_in_area(session, viewer_org=staff.org_code)


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
                                org_code=body.org_code, now=now, display_name=body.display_name,
                                log_n=runtime.settings.password_scrypt_log_n,
                                must_change_password=body.must_change_password)
        audit.record(session, actor=visible.staff.username, action="user.create",
                     target=f"user:{body.username}", at=now,
                     detail={"role": body.role, "org_code": body.org_code})
        return accounts.view(user)


@router.post("/{username}/password")
def reset_password(username: str, body: PasswordReset, staff: StaffDep,
                   runtime: RuntimeDep) -> dict[str, Any]:
    """Give a user of the area a new temporary password (their sessions end)."""
    return _change(username, staff, runtime, "user.password_reset",
                   lambda session, user: accounts.reset_password(
                       session, user=user, new=body.password, log_n=runtime.settings.password_scrypt_log_n))


@router.post("/{username}/deactivate")
def deactivate(username: str, staff: StaffDep, runtime: RuntimeDep) -> dict[str, Any]:
    """Stop a user of the area from signing in (their sessions end at once)."""
    return _change(username, staff, runtime, "user.deactivate",
                   lambda session, user: accounts.set_active(session, user=user, active=False,
                                                             actor_id=staff.id))


@router.post("/{username}/activate")
def activate(username: str, staff: StaffDep, runtime: RuntimeDep) -> dict[str, Any]:
    """Let a deactivated user of the area sign in again."""
    return _change(username, staff, runtime, "user.activate",
                   lambda session, user: accounts.set_active(session, user=user, active=True,
                                                             actor_id=staff.id))


def _change(username: str, staff: auth.Staff, runtime: PlatformRuntime, action: str,
            apply: Callable[[Session, User], None]) -> dict[str, Any]:
    staff.require("users")
    now = runtime.clock.now()
    with write_transaction(runtime.db) as session:
        user = accounts.in_area(session, username=username, viewer_org=staff.org_code)
        accounts.require_may_manage(staff, user)
        apply(session, user)
        audit.record(session, actor=staff.username, action=action, target=f"user:{username}", at=now)
        return accounts.view(user)
