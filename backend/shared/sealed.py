"""Personal facts kept sealed at rest, read and written like plain attributes.

A resident's birth date must never sit in clear beside the masked ID number: with the
community's region code and the mask's last character it would leave only tens of possible ID
numbers. The column holds AES-GCM ciphertext (``birth_sealed``); the model offers ``birth_date``
as a ``SealedDate`` attribute. Reading it opens the column with the protector of the session the
row belongs to; setting it keeps the date until the next flush, which seals it. A session gets
its protector from its factory: ``make_session_factory(engine, protector=...)``.

JSON columns that carry a date (kept register versions, pending imports, change payloads) use
``seal_date_text`` / ``open_date_text`` with ``protector_of(session)``.
"""

from __future__ import annotations

from datetime import date
from typing import Any, overload

from sqlalchemy import event
from sqlalchemy.orm import Session, object_session

from .privacy import IdProtector

PROTECTOR = "protector"  # the key of Session.info holding the IdProtector
_PENDING = "_sealed_pending"  # on an instance: {column: date} waiting for the next flush


class NoProtectorError(RuntimeError):
    """Sealed data read or written through a session made without the keys."""


def protector_of(session: Session) -> IdProtector:
    found = session.info.get(PROTECTOR)
    if not isinstance(found, IdProtector):
        raise NoProtectorError("this database session has no protector: sealed personal data "
                               "cannot be read or written (make_session_factory(..., protector=))")
    return found


class SealedDate:
    """A date attribute stored sealed in the LargeBinary column named ``column``."""

    def __init__(self, column: str) -> None:
        self.column = column
        self.cache = f"_{column}_open"

    @overload
    def __get__(self, instance: None, owner: type) -> SealedDate: ...
    @overload
    def __get__(self, instance: object, owner: type) -> date: ...

    def __get__(self, instance: object | None, owner: type) -> SealedDate | date:
        if instance is None:
            return self
        cached = instance.__dict__.get(self.cache)
        if cached is None:
            session = object_session(instance)
            if session is None:
                raise NoProtectorError(f"{self.column} of a detached row cannot be opened")
            cached = protector_of(session).open_date(getattr(instance, self.column))
            instance.__dict__[self.cache] = cached
        return cached

    def __set__(self, instance: object, value: date) -> None:
        instance.__dict__[self.cache] = value
        instance.__dict__.setdefault(_PENDING, {})[self.column] = value
        setattr(instance, self.column, b"")  # marks the row dirty; the flush seals the real value


@event.listens_for(Session, "before_flush")
def _seal_pending(session: Session, _context: Any, _instances: Any) -> None:
    for instance in (*session.new, *session.dirty):
        pending = instance.__dict__.pop(_PENDING, None)
        if pending:
            protector = protector_of(session)
            for column, value in pending.items():
                setattr(instance, column, protector.seal_date(value))
