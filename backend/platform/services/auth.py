"""Staff sign-in: scrypt password hashes, short-lived bearer tokens stored hashed, a limit on
failed sign-ins, and roles bound to an organisation unit."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from backend.shared.errors import FORBIDDEN, AppError

from ..db.models import AuthToken, User
from .errors import BAD_CREDENTIALS, LOCKED, USER_EXISTS, WEAK_PASSWORD

ROLES = ("staff", "technician", "admin")
# What each role may do. Community staff decide applications; technicians look after machines.
PERMISSIONS: dict[str, frozenset[str]] = {
    "staff": frozenset({"view", "alerts", "command.basic", "notices", "applications"}),
    "technician": frozenset({"view", "alerts", "command.basic", "notices", "command.device",
                             "enrol"}),
    "admin": frozenset({"view", "alerts", "command.basic", "notices", "command.device", "enrol",
                        "applications", "stations", "register", "users", "revoke", "audit"}),
}
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}
MIN_PASSWORD = 12


@dataclass(frozen=True)
class Staff:
    """The signed-in user as routes see it."""

    id: int
    username: str
    role: str
    org_code: str

    def can(self, permission: str) -> bool:
        return permission in PERMISSIONS.get(self.role, frozenset())

    def require(self, permission: str) -> None:
        """Raise auth.forbidden unless the role allows the permission."""
        if not self.can(permission):
            raise AppError(FORBIDDEN, detail=permission)


def hash_password(password: str) -> str:
    """Return a salted scrypt hash in the form ``scrypt$n$r$p$salt$hash``."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, dklen=32, **_SCRYPT)
    parts = [str(_SCRYPT[k]) for k in ("n", "r", "p")] + [_b64(salt), _b64(digest)]
    return "scrypt$" + "$".join(parts)


def verify_password(password: str, stored: str) -> bool:
    """Check a password against a stored hash in constant time."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        computed = hashlib.scrypt(password.encode(), salt=_unb64(salt), n=int(n), r=int(r), p=int(p),
                                  dklen=32)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(computed, _unb64(digest))


def create_user(session: Session, *, username: str, password: str, role: str, org_code: str,
                now: datetime, display_name: str = "") -> User:
    """Add a user with a hashed password; refuse taken names and short passwords."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role}")
    if len(password) < MIN_PASSWORD:
        raise AppError(WEAK_PASSWORD)
    if session.scalar(select(User).where(User.username == username)) is not None:
        raise AppError(USER_EXISTS, detail=username)
    user = User(username=username, password_hash=hash_password(password), role=role,
                org_code=org_code, display_name=display_name or username, active=True,
                failed_logins=0, created_at=now)
    session.add(user)
    session.flush()
    return user


@dataclass(frozen=True)
class LoginOutcome:
    """A sign-in's result; on failure ``error`` is the code (the failure count is still saved)."""

    error: str | None = None
    token: str = ""
    user: User | None = None
    expires_at: datetime | None = None

    def raise_for_error(self) -> None:
        if self.error is not None:
            raise AppError(self.error)


def login(session: Session, *, username: str, password: str, now: datetime, token_minutes: int,
          max_failed: int, lockout_minutes: int) -> LoginOutcome:
    """Check a password; return a new bearer token, or the error (commit either way)."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None or not user.active:
        verify_password(password, _DUMMY_HASH)  # take as long as for a real user
        return LoginOutcome(BAD_CREDENTIALS)
    if user.locked_until is not None and user.locked_until > now:
        return LoginOutcome(LOCKED)
    if not verify_password(password, user.password_hash):
        user.failed_logins += 1
        if user.failed_logins >= max_failed:
            user.locked_until, user.failed_logins = now + timedelta(minutes=lockout_minutes), 0
        return LoginOutcome(BAD_CREDENTIALS)
    user.failed_logins, user.locked_until = 0, None
    token = secrets.token_urlsafe(32)
    expires_at = now + timedelta(minutes=token_minutes)
    session.add(AuthToken(token_hash=token_digest(token), user_id=user.id, created_at=now,
                          expires_at=expires_at))
    session.execute(delete(AuthToken).where(AuthToken.expires_at < now))
    return LoginOutcome(None, token, user, expires_at)


def staff_for_token(session: Session, token: str, now: datetime) -> Staff | None:
    """Return the user a live token belongs to, or None."""
    row = session.execute(
        select(User).join(AuthToken, AuthToken.user_id == User.id)
        .where(AuthToken.token_hash == token_digest(token), AuthToken.expires_at > now,
               User.active.is_(True))).scalar_one_or_none()
    if row is None:
        return None
    return Staff(id=row.id, username=row.username, role=row.role, org_code=row.org_code)


def logout(session: Session, token: str) -> None:
    session.execute(delete(AuthToken).where(AuthToken.token_hash == token_digest(token)))


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"))


_DUMMY_HASH = hash_password(secrets.token_urlsafe(16))
