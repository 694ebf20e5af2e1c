"""Staff sign-in: scrypt password hashes, short-lived bearer tokens stored hashed, a limit on
failed sign-ins, and roles bound to an organisation unit.

Failed sign-ins are counted in one UPDATE … RETURNING on the user's row, so concurrent wrong
passwords (several workers, many threads) cannot all read the same count: at most
``max_failed`` of them answer ``auth.bad_credentials`` before the account answers
``auth.locked``. Password hashes use scrypt with N = 2**log_n (OWASP: 2**17, r=8, p=1, 128 MiB
each); a hash made with a smaller N is replaced at the next successful sign-in.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, delete, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from backend.shared.errors import FORBIDDEN, AppError

from ..db.staff_models import AuthToken, User
from .errors import BAD_CREDENTIALS, LOCKED, USER_EXISTS, WEAK_PASSWORD

ROLES = ("staff", "technician", "admin")
# What each role may do. Community staff decide applications; technicians look after machines.
PERMISSIONS: dict[str, frozenset[str]] = {
    "staff": frozenset({"view", "alerts", "command.basic", "notices", "applications"}),
    "technician": frozenset({"view", "alerts", "command.basic", "notices", "command.device",
                             "enrol"}),
    "admin": frozenset({"view", "alerts", "command.basic", "notices", "command.device", "enrol",
                        "applications", "stations", "register", "users", "revoke", "audit",
                        "releases"}),
}
# Volunteers (the register, hours, neighbour groups, needs) are community staff's work; switching
# an area into emergency mode and back is an administrator's.
PERMISSIONS["staff"] |= {"volunteers"}
PERMISSIONS["admin"] |= {"volunteers", "emergency"}
SCRYPT_LOG_N = 17  # OWASP's current minimum for scrypt: N=2**17, r=8, p=1
_SCRYPT_R, _SCRYPT_P = 8, 1
# Each scrypt at N=2**17 takes 128 MiB: only a few at once per process, so a burst of sign-ins
# queues instead of exhausting memory.
_HASHING = threading.BoundedSemaphore(4)
MIN_PASSWORD = 12


@dataclass(frozen=True)
class Staff:
    """The signed-in user as routes see it."""

    id: int
    username: str
    role: str
    org_code: str
    must_change_password: bool = False

    def can(self, permission: str) -> bool:
        return permission in PERMISSIONS.get(self.role, frozenset())

    def require(self, permission: str) -> None:
        """Raise auth.forbidden unless the role allows the permission."""
        if not self.can(permission):
            raise AppError(FORBIDDEN, detail=permission)


def hash_password(password: str, log_n: int = SCRYPT_LOG_N) -> str:
    """Return a salted scrypt hash in the form ``scrypt$n$r$p$salt$hash``."""
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, 2**log_n, _SCRYPT_R, _SCRYPT_P)
    parts = [str(2**log_n), str(_SCRYPT_R), str(_SCRYPT_P), _b64(salt), _b64(digest)]
    return "scrypt$" + "$".join(parts)


def verify_password(password: str, stored: str) -> bool:
    """Check a password against a stored hash in constant time."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        computed = _scrypt(password, _unb64(salt), int(n), int(r), int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(computed, _unb64(digest))


def needs_rehash(stored: str, log_n: int) -> bool:
    """Whether a stored hash is weaker than today's parameters (never asks to weaken one)."""
    try:
        scheme, n, r, p, *_ = stored.split("$")
        return scheme != "scrypt" or int(n) < 2**log_n or int(r) < _SCRYPT_R or int(p) < _SCRYPT_P
    except ValueError:
        return True


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    with _HASHING:
        return hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, dklen=32,
                              maxmem=129 * r * n + 1024 * 1024)


def create_user(session: Session, *, username: str, password: str, role: str, org_code: str,
                now: datetime, display_name: str = "", log_n: int = SCRYPT_LOG_N,
                must_change_password: bool = False) -> User:
    """Add a user with a hashed password; refuse taken names and short passwords."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role}")
    if len(password) < MIN_PASSWORD:
        raise AppError(WEAK_PASSWORD)
    if session.scalar(select(User).where(User.username == username)) is not None:
        raise AppError(USER_EXISTS, detail=username)
    user = User(username=username, password_hash=hash_password(password, log_n), role=role,
                org_code=org_code, display_name=display_name or username, active=True,
                failed_logins=0, created_at=now, must_change_password=must_change_password)
    session.add(user)
    session.flush()
    return user


@dataclass(frozen=True)
class LoginOutcome:
    """A sign-in's result; on failure ``error`` is the code (the failure count is still saved) and
    ``user`` the account the name belongs to, if any."""

    error: str | None = None
    token: str = ""
    user: User | None = None
    expires_at: datetime | None = None

    def raise_for_error(self) -> None:
        if self.error is not None:
            raise AppError(self.error)


def login(session: Session, *, username: str, password: str, now: datetime, token_minutes: int,
          max_failed: int, lockout_minutes: int, log_n: int = SCRYPT_LOG_N) -> LoginOutcome:
    """Check a password; return a new bearer token, or the error (commit either way)."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None or not user.active:
        verify_password(password, _dummy_hash(log_n))  # take as long as for a real user
        return LoginOutcome(BAD_CREDENTIALS)
    if user.locked_until is not None and user.locked_until > now:
        return LoginOutcome(LOCKED, user=user)
    if not verify_password(password, user.password_hash):
        return LoginOutcome(_count_failure(session, user.id, now=now, max_failed=max_failed,
                                           lockout_minutes=lockout_minutes), user=user)
    if not _clear_failures(session, user.id, now):
        # locked by concurrent failures while this password was checked
        return LoginOutcome(LOCKED, user=user)
    session.refresh(user)
    if needs_rehash(user.password_hash, log_n):
        user.password_hash = hash_password(password, log_n)
    token = secrets.token_urlsafe(32)
    expires_at = now + timedelta(minutes=token_minutes)
    session.add(AuthToken(token_hash=token_digest(token), user_id=user.id, created_at=now,
                          expires_at=expires_at))
    session.execute(delete(AuthToken).where(AuthToken.expires_at < now))
    return LoginOutcome(None, token, user, expires_at)


def _unlocked(now: datetime) -> ColumnElement[bool]:
    return or_(User.locked_until.is_(None), User.locked_until <= now)


def _count_failure(session: Session, user_id: int, *, now: datetime, max_failed: int,
                   lockout_minutes: int) -> str:
    """Add one failure in a single statement (the row lock orders concurrent ones); the one that
    reaches ``max_failed`` locks the account; an account locked meanwhile answers locked."""
    reached = User.failed_logins + 1 >= max_failed
    row = session.execute(
        update(User).where(User.id == user_id, _unlocked(now))
        .values(failed_logins=case((reached, 0), else_=User.failed_logins + 1),
                locked_until=case((reached, now + timedelta(minutes=lockout_minutes)),
                                  else_=User.locked_until))
        .returning(User.id).execution_options(synchronize_session=False)).first()
    return BAD_CREDENTIALS if row is not None else LOCKED


def _clear_failures(session: Session, user_id: int, now: datetime) -> bool:
    row = session.execute(update(User).where(User.id == user_id, _unlocked(now))
                          .values(failed_logins=0, locked_until=None).returning(User.id)
                          .execution_options(synchronize_session=False)).first()
    return row is not None


def staff_for_token(session: Session, token: str, now: datetime) -> Staff | None:
    """Return the user a live token belongs to, or None."""
    row = session.execute(
        select(User).join(AuthToken, AuthToken.user_id == User.id)
        .where(AuthToken.token_hash == token_digest(token), AuthToken.expires_at > now,
               User.active.is_(True))).scalar_one_or_none()
    if row is None:
        return None
    return Staff(id=row.id, username=row.username, role=row.role, org_code=row.org_code,
                 must_change_password=row.must_change_password)


def logout(session: Session, token: str) -> None:
    session.execute(delete(AuthToken).where(AuthToken.token_hash == token_digest(token)))


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"))


@functools.cache
def _dummy_hash(log_n: int) -> str:
    return hash_password(secrets.token_urlsafe(16), log_n)
