"""Accounts in the console: one's own password (also the forced change after a password an
administrator chose), and for administrators the users of their area — create, reset the
password, deactivate and reactivate, each destructive step confirmed on its own page first."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from backend.shared.errors import VALIDATION, AppError

from ...api.deps import RuntimeDep
from ...api.routes import users as users_api
from ...db.session import write_transaction
from ...services import accounts, audit, org
from ..render import ConsoleRoute, back, render
from ..session import ConsoleUser, SignedInUserDep, UserDep, session_token

router = APIRouter(prefix="/console", route_class=ConsoleRoute, include_in_schema=False)
ACTIONS = ("reset", "deactivate", "activate")
Text = Annotated[str, Form(max_length=256)]


@router.get("/password", response_class=HTMLResponse)
def password_page(request: Request, user: SignedInUserDep) -> HTMLResponse:
    """The form to change one's own password (the only page open while a change is due)."""
    return render(request, "password.html", user=user, section="", forced=user.staff.must_change_password)


@router.post("/password", response_model=None)
def change_password(request: Request, user: SignedInUserDep, runtime: RuntimeDep, current: Text, new: Text,
                    again: Text) -> Response:
    """Replace one's own password; the other sessions of this user end."""
    try:
        if new != again:
            raise AppError(VALIDATION, detail="again")
        with write_transaction(runtime.db) as session:
            accounts.change_own_password(session, user_id=user.staff.id, current=current, new=new,
                                         keep_token=session_token(request),
                                         log_n=runtime.settings.password_scrypt_log_n)
            audit.record(session, actor=user.staff.username, action="user.password_change",
                         target=f"user:{user.staff.username}", at=runtime.clock.now(), source="console")
    except AppError as err:
        return render(request, "password.html", user=user, section="", status=err.status,
                      forced=user.staff.must_change_password, failed=err.code)
    return back("/console/fleet", done="done.password_changed")


@router.get("/users", response_class=HTMLResponse)
def users_page(request: Request, user: UserDep, runtime: RuntimeDep) -> HTMLResponse:
    """The accounts of the administrator's area, and a form to add one."""
    user.require("users")
    with runtime.db() as session:
        units = org.tree_view(session, user.staff.org_code)
    return render(request, "users.html", user=user, section="users", units=units,
                  users=users_api.list_users(user.staff, runtime))


@router.post("/users", response_model=None)
def create_user(user: UserDep, runtime: RuntimeDep, username: Annotated[str, Form(max_length=64)],
                password: Text, role: Annotated[str, Form(max_length=16)],
                org_code: Annotated[str, Form(max_length=32)],
                display_name: Annotated[str, Form(max_length=64)] = "") -> RedirectResponse:
    """Add an account with a temporary password (changed at its first sign-in)."""
    try:
        body = _new_user(username=username.strip(), password=password, role=role, org_code=org_code,
                         display_name=display_name.strip())
        users_api.create_user(body, user.visible, runtime)
    except AppError as err:
        return back("/console/users", error=err)
    return back("/console/users", done="done.user_created")


@router.post("/users/{username}/{action}", response_model=None)
def change_user(request: Request, username: str, action: str, user: UserDep, runtime: RuntimeDep,
                confirmed: Annotated[str, Form(max_length=8)] = "",
                password: Annotated[str, Form(max_length=256)] = "") -> Response:
    """Reset, deactivate or reactivate an account — after a page that asks to confirm."""
    user.require("users")
    if action not in ACTIONS:
        raise AppError(VALIDATION, detail="action")
    if confirmed != "yes":
        return _confirm_page(request, user, runtime, username, action)
    try:
        if action == "reset":
            users_api.reset_password(username, _reset(password), user.staff, runtime)
        elif action == "deactivate":
            users_api.deactivate(username, user.staff, runtime)
        else:
            users_api.activate(username, user.staff, runtime)
    except AppError as err:
        return back("/console/users", error=err)
    return back("/console/users", done=f"done.user_{action}")


def _confirm_page(request: Request, user: ConsoleUser, runtime: Any, username: str, action: str) -> Response:
    with runtime.db() as session:
        target = accounts.view(accounts.in_area(session, username=username, viewer_org=user.staff.org_code))
    return render(request, "user_confirm.html", user=user, section="users", target=target, action=action)


def _new_user(**fields: str) -> users_api.NewUser:
    try:
        return users_api.NewUser(**fields, must_change_password=True)
    except ValidationError as err:
        raise AppError(VALIDATION, detail=", ".join(str(e["loc"][0]) for e in err.errors())) from err


def _reset(password: str) -> users_api.PasswordReset:
    try:
        return users_api.PasswordReset(password=password)
    except ValidationError as err:
        raise AppError(VALIDATION, detail="password") from err
