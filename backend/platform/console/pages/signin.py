"""Signing in and out of the console, and choosing its language."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from backend.shared.errors import AppError

from ...api.deps import RuntimeDep
from ...api.routes import auth as auth_api
from ...db.session import write_transaction
from ...runtime import PlatformRuntime
from ...services import audit
from ...services import auth as auth_service
from ...services.errors import BAD_CREDENTIALS
from ...settings import Environment
from ..i18n import error_words, words
from ..render import ConsoleRoute, render
from ..session import (
    LANGUAGES,
    PASSWORD_PAGE,
    SignedInUserDep,
    check_signin_csrf,
    clear_session,
    language,
    safe_next,
    session_token,
    set_language,
    set_presession,
    set_session,
    signin_csrf,
)

router = APIRouter(prefix="/console", route_class=ConsoleRoute, include_in_schema=False)


@router.get("")
def home() -> RedirectResponse:
    """The console opens on the fleet."""
    return RedirectResponse("/console/fleet", status_code=303)


@router.get("/login", response_class=HTMLResponse)
def signin_page(request: Request, runtime: RuntimeDep, next: str = "/console/fleet",
                expired: bool = False, signed_out: bool = False) -> Response:
    """Show the sign-in form (or go straight on when already signed in)."""
    token = session_token(request)
    if token and _signed_in(runtime, token):
        return RedirectResponse(safe_next(next), status_code=303)
    lang = language(request)
    message, kind = "", "ok"
    if expired or token:
        message = words(lang, "signin.expired")
    if signed_out:
        message = words(lang, "signin.signed_out")
    return _form(request, runtime, next=next, message=message, kind=kind)


def _signed_in(runtime: PlatformRuntime, token: str) -> bool:
    with runtime.db() as session:
        return auth_service.staff_for_token(session, token, runtime.clock.now()) is not None


def _form(request: Request, runtime: PlatformRuntime, *, next: str, message: str, kind: str,
          username: str = "", status: int = 200) -> Response:
    token, fresh = signin_csrf(request)
    response = render(request, "signin.html", user=None, status=status, signin_csrf=token,
                      next=safe_next(next), message=message, message_kind=kind, username=username,
                      demo=runtime.settings.environment is Environment.DEMO)
    if fresh:
        set_presession(response, request, runtime, fresh)
    return response


@router.post("/login", response_class=HTMLResponse)
async def signin(request: Request, runtime: RuntimeDep, username: Annotated[str, Form(max_length=64)],
                 password: Annotated[str, Form(max_length=256)],
                 next: Annotated[str, Form(max_length=512)] = "/console/fleet") -> Response:
    """Check the password through the staff API's sign-in (limited and audited there)."""
    await check_signin_csrf(request)
    try:
        body = _login_body(username, password)
        answer = await run_in_threadpool(auth_api.login, body, request, runtime)
    except AppError as err:
        message = error_words(language(request), err.code) or err.code
        return _form(request, runtime, next=next, message=message, kind="bad", username=username,
                     status=err.status)
    forced = answer["user"]["must_change_password"]
    response = RedirectResponse(PASSWORD_PAGE if forced else safe_next(next), status_code=303)
    set_session(response, request, runtime, answer["token"], datetime.fromisoformat(answer["expires_at"]))
    return response


def _login_body(username: str, password: str) -> auth_api.LoginBody:
    try:
        return auth_api.LoginBody(username=username.strip(), password=password)
    except ValidationError as err:
        raise AppError(BAD_CREDENTIALS) from err


@router.post("/logout")
def signout(request: Request, user: SignedInUserDep, runtime: RuntimeDep) -> RedirectResponse:
    """End the session everywhere (the token is deleted) and forget the cookie."""
    with write_transaction(runtime.db) as session:
        auth_service.logout(session, session_token(request))
        audit.record(session, actor=user.staff.username, action="auth.logout",
                     target=f"user:{user.staff.username}", at=runtime.clock.now(), source="console")
    response = RedirectResponse("/console/login?signed_out=1", status_code=303)
    clear_session(response)
    return response


@router.get("/lang")
def choose_language(request: Request, runtime: RuntimeDep, to: str = "zh",
                    next: str = "/console/fleet") -> RedirectResponse:
    """Switch the console's language (a preference cookie; nothing on the server changes)."""
    response = RedirectResponse(safe_next(next), status_code=303)
    if to in LANGUAGES:
        set_language(response, request, runtime, to)
    return response
