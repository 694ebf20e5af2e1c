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
from typing import Any, Generic, TypeVar, overload

from sqlalchemy import event
from sqlalchemy.orm import Session, object_session

from .privacy import IdProtector

PROTECTOR = "protector"  # the key of Session.info holding the IdProtector
_PENDING = "_sealed_pending"  # on an instance: {column: (attribute, value)} waiting for the next flush
T = TypeVar("T")


class NoProtectorError(RuntimeError):
    """Sealed data read or written through a session made without the keys."""


def protector_of(session: Session) -> IdProtector:
    found = session.info.get(PROTECTOR)
    if not isinstance(found, IdProtector):
        raise NoProtectorError("this database session has no protector: sealed personal data "
                               "cannot be read or written (make_session_factory(..., protector=))")
    return found


class _Sealed(Generic[T]):
    """An attribute stored sealed in the LargeBinary column named ``column``."""

    def __init__(self, column: str) -> None:
        self.column = column
        self.cache = f"_{column}_open"

    def open(self, protector: IdProtector, blob: bytes) -> T:
        raise NotImplementedError

    def seal(self, protector: IdProtector, value: T) -> bytes:
        raise NotImplementedError

    @overload
    def __get__(self, instance: None, owner: type) -> _Sealed[T]: ...
    @overload
    def __get__(self, instance: object, owner: type) -> T: ...

    def __get__(self, instance: object | None, owner: type) -> _Sealed[T] | T:
        if instance is None:
            return self
        cached = instance.__dict__.get(self.cache)
        if cached is None:
            session = object_session(instance)
            if session is None:
                raise NoProtectorError(f"{self.column} of a detached row cannot be opened")
            cached = self.open(protector_of(session), getattr(instance, self.column))
            instance.__dict__[self.cache] = cached
        return cached

    def __set__(self, instance: object, value: T) -> None:
        instance.__dict__[self.cache] = value
        instance.__dict__.setdefault(_PENDING, {})[self.column] = (self, value)
        setattr(instance, self.column, b"")  # marks the row dirty; the flush seals the real value


class SealedDate(_Sealed[date]):
    """A date kept sealed (a resident's birth date)."""

    def open(self, protector: IdProtector, blob: bytes) -> date:
        return protector.open_date(blob)

    def seal(self, protector: IdProtector, value: date) -> bytes:
        return protector.seal_date(value)


class SealedText(_Sealed[str]):
    """A short secret kept sealed (a notification channel's address and signing secret)."""

    def open(self, protector: IdProtector, blob: bytes) -> str:
        return protector.open_text(blob) if blob else ""

    def seal(self, protector: IdProtector, value: str) -> bytes:
        return protector.seal_text(value) if value else b""


@event.listens_for(Session, "before_flush")
def _seal_pending(session: Session, _context: Any, _instances: Any) -> None:
    for instance in (*session.new, *session.dirty):
        pending = instance.__dict__.pop(_PENDING, None)
        if pending:
            protector = protector_of(session)
            for column, (attribute, value) in pending.items():
                setattr(instance, column, attribute.seal(protector, value))
