"""Errors of the ID card reader, each with a stable ``reason`` the station maps to a message.

Reader errors subclass the device error that describes the component afterwards (timeout,
corrupted data, not reachable). Card errors (removed, expired, invalid number) are about the
card, not the reader: the reader still works, so their status code is OK.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ..errors import (
    DataCorruptedError,
    DeviceError,
    DeviceNotReachableError,
    DeviceTimeoutError,
    HardwareError,
)
from ..model import StatusCode

if TYPE_CHECKING:
    from .card import IdCard
    from .idnumber import IdNumberCheck


class IdCardError(DeviceError):
    """Anything that stops an ID card from being read."""

    reason: str = "error"


class ReaderTimeoutError(IdCardError, DeviceTimeoutError):
    """The reader did not answer within the timeout."""

    reason = "timeout"


class ReaderChecksumError(IdCardError, DataCorruptedError):
    """A reply's checksum was wrong (twice: a read retries once)."""

    reason = "checksum"


class ReaderGarbageError(IdCardError, DataCorruptedError):
    """The reader sent bytes that are not a frame, or a frame that does not fit the protocol."""

    reason = "garbage"


class CardDataError(IdCardError, DataCorruptedError):
    """The card's text block could not be parsed (a field is not UCS-2 or not a date)."""

    reason = "card_data"


class ReaderNotReachableError(IdCardError, DeviceNotReachableError):
    """The port cannot be opened, or it went away (unplugged)."""

    reason = "not_reachable"


class ReaderStatusError(IdCardError, HardwareError):
    """The module answered with a status that means it failed (SAM error, bad command…)."""

    reason = "reader_error"


class CardError(IdCardError):
    """The card cannot be used; the reader itself is fine."""

    status_code = StatusCode.OK


class CardRemovedError(CardError):
    """The card was taken away after it was found, in the middle of the read."""

    reason = "card_removed"


class InvalidIdNumberError(CardError):
    """The card's ID number fails validation (check digit, region or birth date)."""

    reason = "invalid_number"

    def __init__(self, message: str, *, check: IdNumberCheck) -> None:
        super().__init__(message)
        self.check = check


class CardExpiredError(CardError):
    """The card's validity ended before today."""

    reason = "expired"

    def __init__(self, message: str, *, valid_until: date, card: IdCard | None = None) -> None:
        super().__init__(message)
        self.valid_until = valid_until
        self.card = card  # so the kiosk can say whose card expired and when
