"""Browser sessions for the console: a cookie holding the staff API's bearer token, CSRF tokens
derived from it, and the dependency that turns a request into the signed-in user.

The cookie is HttpOnly and SameSite=Strict, scoped to /console, and lives as long as the token
(``KIOSK_PLATFORM_TOKEN_MINUTES``); the token itself is stored hashed by the auth service, so
signing out or expiry ends the session on every worker. A form's CSRF token is an HMAC of the
session token, so nothing more is stored and a page from another site cannot know it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated
from urllib.parse import quote, urlsplit

from fastapi import Depends, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from backend.shared.errors import AppError, define

from ..api.deps import RuntimeDep, Visibility
from ..runtime import PlatformRuntime
from ..services import auth, org
from ..services.auth import Staff
from .config import console_settings

SESSION_COOKIE = "kc_session"
PRESESSION_COOKIE = "kc_pre"  # the sign-in form's CSRF seed, before there is a session
LANG_COOKIE = "kc_lang"
COOKIE_PATH = "/console"
LANGUAGES = ("zh", "en")

CSRF_INVALID = define("console.csrf_invalid", 403, "页面已过期，请刷新后重试。",
                      "This page has expired. Please reload it and try again.")


class SignInRequired(Exception):
    """No live session: the console answers with the sign-in page."""


class PasswordChangeRequired(Exception):
    """The user signed in with a password an administrator chose: only the password page opens."""


PASSWORD_PAGE = "/console/password"


@dataclass(frozen=True)
class ConsoleUser:
    """The signed-in user of a console request."""

    staff: Staff
    visible: Visibility
    csrf: str

    def can(self, permission: str) -> bool:
        return self.staff.can(permission)

    def require(self, permission: str) -> None:
        """Raise auth.forbidden unless the role allows it."""
        self.staff.require(permission)


def csrf_for(secret: str, purpose: str = "console-form") -> str:
    """Return the CSRF token bound to a session (or pre-session) secret."""
    return hmac.new(secret.encode(), purpose.encode(), hashlib.sha256).hexdigest()


def signin_csrf(request: Request) -> tuple[str, str | None]:
    """Return the sign-in form's CSRF token and a new pre-session seed to set (None: keep)."""
    seed = request.cookies.get(PRESESSION_COOKIE, "")
    fresh = None
    if len(seed) < 32:
        seed = fresh = secrets.token_urlsafe(32)
    return csrf_for(seed, "console-signin"), fresh


async def check_signin_csrf(request: Request) -> None:
    """Refuse a sign-in post without the token of this browser's sign-in form."""
    seed = request.cookies.get(PRESESSION_COOKIE, "")
    given = str((await request.form()).get("csrf", ""))
    _check_origin(request)
    if len(seed) < 32 or not hmac.compare_digest(given, csrf_for(seed, "console-signin")):
        raise AppError(CSRF_INVALID)


def _check_origin(request: Request) -> None:
    # Defence in depth beside SameSite=Strict and the token: a browser names the page's origin.
    origin = request.headers.get("origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.headers.get("host", ""):
        raise AppError(CSRF_INVALID, detail="cross-origin post")


async def current_user(request: Request, runtime: RuntimeDep) -> ConsoleUser:
    """Resolve the session cookie of a user who may work; on a POST also check the CSRF token."""
    user = await signed_in_user(request, runtime)
    if user.staff.must_change_password:
        raise PasswordChangeRequired
    return user


async def signed_in_user(request: Request, runtime: RuntimeDep) -> ConsoleUser:
    """Resolve the session cookie, also of a user who must change their password first (the
    password page and signing out); on a POST also check the form's CSRF token."""
    token = request.cookies.get(SESSION_COOKIE, "")
    if not token:
        raise SignInRequired
    now = runtime.clock.now()
    user = await _load(runtime, token, now)
    if request.method == "POST":
        _check_origin(request)
        given = str((await request.form()).get("csrf", ""))
        if not hmac.compare_digest(given, user.csrf):
            raise AppError(CSRF_INVALID)
    return user


async def user_if_signed_in(request: Request, runtime: PlatformRuntime) -> ConsoleUser | None:
    """The signed-in user who may work, or None (for pages that show either way: errors)."""
    token = request.cookies.get(SESSION_COOKIE, "")
    if not token:
        return None
    try:
        user = await _load(runtime, token, runtime.clock.now())
    except SignInRequired:
        return None
    return None if user.staff.must_change_password else user


async def _load(runtime: PlatformRuntime, token: str, now: datetime) -> ConsoleUser:
    def load() -> ConsoleUser:
        with runtime.db() as session:
            staff = auth.staff_for_token(session, token, now)
            if staff is None:
                raise SignInRequired
            communities = org.communities_under(session, staff.org_code)
        return ConsoleUser(staff, Visibility(staff, communities), csrf_for(token))

    return await run_in_threadpool(load)


UserDep = Annotated[ConsoleUser, Depends(current_user)]
SignedInUserDep = Annotated[ConsoleUser, Depends(signed_in_user)]


# ---- cookies -------------------------------------------------------------------------------------

def secure_cookies(request: Request, runtime: PlatformRuntime) -> bool:
    """Whether cookies get the Secure flag (configured, else when served over HTTPS)."""
    configured = console_settings().secure_cookies
    if configured is not None:
        return configured
    return request.url.scheme == "https" or runtime.settings.public_url.startswith("https://")


def set_session(response: Response, request: Request, runtime: PlatformRuntime, token: str,
                expires_at: datetime) -> None:
    """Store the session token in the browser until the token expires."""
    max_age = max(1, int((expires_at - runtime.clock.now()).total_seconds()))
    response.set_cookie(SESSION_COOKIE, token, max_age=max_age, path=COOKIE_PATH, httponly=True,
                        samesite="strict", secure=secure_cookies(request, runtime))
    response.delete_cookie(PRESESSION_COOKIE, path=COOKIE_PATH)


def set_presession(response: Response, request: Request, runtime: PlatformRuntime, seed: str) -> None:
    response.set_cookie(PRESESSION_COOKIE, seed, max_age=3600, path=COOKIE_PATH, httponly=True,
                        samesite="strict", secure=secure_cookies(request, runtime))


def clear_session(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path=COOKIE_PATH)


def session_token(request: Request) -> str:
    return request.cookies.get(SESSION_COOKIE, "")


def language(request: Request) -> str:
    """The page language: the cookie's, else the configured default (Chinese)."""
    chosen = request.cookies.get(LANG_COOKIE, "")
    return chosen if chosen in LANGUAGES else console_settings().default_language


def set_language(response: Response, request: Request, runtime: PlatformRuntime, lang: str) -> None:
    response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, path=COOKIE_PATH, httponly=True,
                        samesite="lax", secure=secure_cookies(request, runtime))


def safe_next(target: str | None) -> str:
    """Only ever redirect within the console (no open redirect)."""
    if target and target.startswith("/console") and "//" not in target and "\\" not in target:
        return target
    return "/console/fleet"


def signin_url(request: Request) -> str:
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return "/console/login?next=" + quote(safe_next(here), safe="")
