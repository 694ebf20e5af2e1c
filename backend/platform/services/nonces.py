"""Nonces of signed requests, remembered in the database so every worker refuses a replay.

The nonce is claimed as the first statement of the request's own transaction: one commit per
request, and two copies of one request racing each other serialize on the primary key.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import delete, insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from ..db.area_models import RequestNonce
from ..db.session import write_transaction


class Replayed(Exception):
    """This nonce was used before."""


@contextmanager
def claimed(factory: sessionmaker[Session], *, keyid: str, nonce: str, created: int) -> Iterator[Session]:
    """Open a write transaction that first records the nonce; raise Replayed if it was seen."""
    try:
        with write_transaction(factory) as session:
            try:  # a Core insert: the ORM's unit of work costs more than the statement here
                session.execute(insert(RequestNonce).values(keyid=keyid, nonce=nonce, created=created))
            except IntegrityError as err:
                raise Replayed(nonce) from err
            yield session
    except IntegrityError as err:  # the twin request committed first
        if _is_nonce_conflict(err):
            raise Replayed(nonce) from err
        raise


def _is_nonce_conflict(err: IntegrityError) -> bool:
    return "request_nonces" in str(err.orig) or "pk_request_nonces" in str(err.orig)


def prune(session: Session, *, older_than: int) -> None:
    """Forget nonces whose requests are outside the window anyway."""
    session.execute(delete(RequestNonce).where(RequestNonce.created < older_than))
