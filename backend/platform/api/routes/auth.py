"""Staff sign-in with a user name and password, for a short-lived bearer token."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from backend.shared.errors import AppError

from ...db.session import write_transaction
from ...runtime import PlatformRuntime
from ...services import accounts, audit
from ...services import auth as auth_service
from ...services.errors import RATE_LIMITED
from ..deps import RuntimeDep, SignedInDep, bearer_token

router = APIRouter(prefix="/api/auth", tags=["auth"])


class LoginBody(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


@router.post("/login")
def login(body: LoginBody, request: Request, runtime: RuntimeDep) -> dict[str, Any]:
    """Check the password and return a bearer token (failed attempts are limited)."""
    settings = runtime.settings
    now = runtime.clock.now()
    source = request.client.host if request.client else ""
    if not runtime.login_limiter.allow(ip=source, username=body.username):
        raise AppError(RATE_LIMITED)
    with write_transaction(runtime.db) as session:
        outcome = auth_service.login(session, username=body.username, password=body.password, now=now,
                                     token_minutes=settings.token_minutes,
                                     max_failed=settings.max_failed_logins,
                                     lockout_minutes=settings.lockout_minutes,
                                     log_n=settings.password_scrypt_log_n)
        _audit_login(session, runtime, body.username, outcome, now=now, source=source)
    outcome.raise_for_error()
    assert outcome.user is not None and outcome.expires_at is not None
    return {"token": outcome.token, "token_type": "bearer", "expires_at": outcome.expires_at.isoformat(),
            "user": {"username": outcome.user.username, "role": outcome.user.role,
                     "org_code": outcome.user.org_code,
                     "must_change_password": outcome.user.must_change_password}}


def _audit_login(session: Session, runtime: PlatformRuntime, typed: str, outcome: auth_service.LoginOutcome,
                 *, now: datetime, source: str) -> None:
    """Record a sign-in. A name that is no account is not stored as typed (it may be a password
    typed in the wrong field): only a keyed hash of it, to tell repeated attempts apart."""
    action = "auth.login" if outcome.error is None else "auth.login_failed"
    if outcome.user is not None:
        audit.record(session, actor=outcome.user.username, action=action,
                     target=f"user:{outcome.user.username}", at=now, source=source,
                     detail={} if outcome.error is None else {"error": outcome.error})
        return
    tag = hmac.new(runtime.id_hash_key, b"login-name:" + typed.encode(), hashlib.sha256).hexdigest()[:16]
    audit.record(session, actor=audit.UNKNOWN_USER, action=action, target="user:?", at=now, source=source,
                 detail={"error": outcome.error, "name_hash": tag})


class PasswordChange(BaseModel):
    current_password: str = Field(min_length=1, max_length=256)
    new_password: str = Field(min_length=12, max_length=256)


@router.post("/password")
def change_password(body: PasswordChange, request: Request, staff: SignedInDep,
                    runtime: RuntimeDep) -> dict[str, Any]:
    """Replace one's own password (also the temporary one an administrator gave); other sessions end."""
    now = runtime.clock.now()
    with write_transaction(runtime.db) as session:
        accounts.change_own_password(session, user_id=staff.id, current=body.current_password,
                                     new=body.new_password, keep_token=bearer_token(request),
                                     log_n=runtime.settings.password_scrypt_log_n)
        audit.record(session, actor=staff.username, action="user.password_change",
                     target=f"user:{staff.username}", at=now)
    return {"status": "changed"}


@router.post("/logout")
def logout(request: Request, staff: SignedInDep, runtime: RuntimeDep) -> dict[str, str]:
    """End this token."""
    with write_transaction(runtime.db) as session:
        auth_service.logout(session, bearer_token(request))
        audit.record(session, actor=staff.username, action="auth.logout", target=f"user:{staff.username}",
                     at=runtime.clock.now())
    return {"status": "signed out"}


@router.get("/me")
def me(staff: SignedInDep) -> dict[str, Any]:
    """Who the token belongs to (and whether they must change their password first)."""
    return {"username": staff.username, "role": staff.role, "org_code": staff.org_code,
            "permissions": sorted(auth_service.PERMISSIONS[staff.role]),
            "must_change_password": staff.must_change_password}
