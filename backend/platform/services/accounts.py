"""Staff accounts after creation: listing within an area, changing one's own password, an
administrator's reset (the user must then choose their own), deactivation, and the start-up
check that no account still has a demo password in production."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from backend.shared.errors import FORBIDDEN, AppError

from ..db.area_models import OrgUnit
from ..db.staff_models import AuthToken, User
from ..settings import DEMO_ADMIN_PASSWORD
from . import auth, org
from .errors import (
    DEMO_PASSWORD_IN_PRODUCTION,
    SAME_PASSWORD,
    USER_NOT_FOUND,
    USER_SELF,
    WEAK_PASSWORD,
    WRONG_PASSWORD,
)

# Every password the project ships or documents for a demo: production refuses to start while
# any account still has one.
DEMO_PASSWORDS = (DEMO_ADMIN_PASSWORD,)


def view(user: User) -> dict[str, Any]:
    return {"id": user.id, "username": user.username, "display_name": user.display_name,
            "role": user.role, "org_code": user.org_code, "active": user.active,
            "must_change_password": user.must_change_password,
            "locked_until": user.locked_until.isoformat() if user.locked_until else None,
            "created_at": user.created_at.isoformat()}


def users_in_area(session: Session, *, viewer_org: str) -> list[dict[str, Any]]:
    """Every account at or under the viewer's unit, by unit then name."""
    top = org.unit(session, viewer_org)
    rows = session.scalars(select(User).join(OrgUnit, OrgUnit.code == User.org_code)
                           .where(OrgUnit.path.startswith(top.path)).order_by(OrgUnit.path, User.username))
    return [view(u) for u in rows]


def in_area(session: Session, *, username: str, viewer_org: str) -> User:
    """Return an account within the viewer's area; others look as if they did not exist."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise AppError(USER_NOT_FOUND, detail=username)
    if not org.unit(session, user.org_code).path.startswith(org.unit(session, viewer_org).path):
        raise AppError(USER_NOT_FOUND, detail=username)
    return user


def change_own_password(session: Session, *, user_id: int, current: str, new: str, keep_token: str,
                        log_n: int) -> User:
    """Replace one's own password (the current one is asked again); other sessions end."""
    user = session.get(User, user_id)
    if user is None or not user.active:
        raise AppError(USER_NOT_FOUND)
    if not auth.verify_password(current, user.password_hash):
        raise AppError(WRONG_PASSWORD)
    if new == current:
        raise AppError(SAME_PASSWORD)
    _set_password(user, new, log_n=log_n, must_change=False)
    session.execute(delete(AuthToken).where(AuthToken.user_id == user.id,
                                            AuthToken.token_hash != auth.token_digest(keep_token)))
    return user


def reset_password(session: Session, *, user: User, new: str, log_n: int) -> None:
    """An administrator's reset: the user signs in with it once and must choose their own."""
    _set_password(user, new, log_n=log_n, must_change=True)
    user.failed_logins, user.locked_until = 0, None
    _end_sessions(session, user)


def set_active(session: Session, *, user: User, active: bool, actor_id: int) -> None:
    """Deactivate (sessions end at once; sign-in is refused) or reactivate an account."""
    if user.id == actor_id:
        raise AppError(USER_SELF)
    user.active = active
    if not active:
        _end_sessions(session, user)


def require_may_manage(actor: auth.Staff, user: User) -> None:
    """Only administrators manage accounts (their own area was checked by ``in_area``)."""
    actor.require("users")
    if user.id == actor.id:
        raise AppError(FORBIDDEN, detail="use the password page for your own account")


def demo_password_users(session: Session) -> list[str]:
    """The accounts (deactivated ones too: they can be reactivated) whose stored hash is one of a
    demo password."""
    found = []
    for user in session.scalars(select(User).order_by(User.username)):
        if any(auth.verify_password(p, user.password_hash) for p in DEMO_PASSWORDS):
            found.append(user.username)
    return found


def refuse_demo_passwords(session: Session) -> None:
    """Raise platform.demo_password naming the accounts that still have a demo password."""
    names = demo_password_users(session)
    if names:
        raise AppError(DEMO_PASSWORD_IN_PRODUCTION, detail=", ".join(names))


def _set_password(user: User, new: str, *, log_n: int, must_change: bool) -> None:
    if len(new) < auth.MIN_PASSWORD:
        raise AppError(WEAK_PASSWORD)
    if new in DEMO_PASSWORDS:
        raise AppError(WEAK_PASSWORD, detail="a demo password")
    user.password_hash = auth.hash_password(new, log_n)
    user.must_change_password = must_change


def _end_sessions(session: Session, user: User) -> None:
    session.execute(delete(AuthToken).where(AuthToken.user_id == user.id))

