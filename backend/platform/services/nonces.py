"""Nonces of signed requests, remembered in the database so every worker refuses a replay."""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from ..db.models import RequestNonce
from ..db.session import write_transaction


def remember(factory: sessionmaker[Session], *, keyid: str, nonce: str, created: int) -> bool:
    """Record a nonce; return False if it was seen before (a replay)."""
    try:
        with write_transaction(factory) as session:
            session.add(RequestNonce(keyid=keyid, nonce=nonce, created=created))
    except IntegrityError:
        return False
    return True


def prune(session: Session, *, older_than: int) -> None:
    """Forget nonces whose requests are outside the window anyway."""
    session.execute(delete(RequestNonce).where(RequestNonce.created < older_than))
