"""The resident ID card reader: GB 11643 numbers, the GA 467 serial protocol, the card, the driver.

ID numbers are personal data: ``IdNumber`` and ``IdCard`` print masked; only
``IdNumber.reveal()`` gives the full number.
"""

from .card import IdCard
from .codes import ETHNICITIES, Sex, ethnicity_label
from .errors import (
    CardDataError,
    CardError,
    CardExpiredError,
    CardRemovedError,
    IdCardError,
    InvalidIdNumberError,
    ReaderChecksumError,
    ReaderGarbageError,
    ReaderNotReachableError,
    ReaderStatusError,
    ReaderTimeoutError,
)
from .idnumber import (
    IdKind,
    IdNumber,
    IdNumberCheck,
    IdNumberError,
    birth_date_from_id,
    mask_id_number,
    sex_from_id,
    validate_id_number,
)
from .reader import IdCardReader

__all__ = [
    "ETHNICITIES",
    "CardDataError",
    "CardError",
    "CardExpiredError",
    "CardRemovedError",
    "IdCard",
    "IdCardError",
    "IdCardReader",
    "IdKind",
    "IdNumber",
    "IdNumberCheck",
    "IdNumberError",
    "InvalidIdNumberError",
    "ReaderChecksumError",
    "ReaderGarbageError",
    "ReaderNotReachableError",
    "ReaderStatusError",
    "ReaderTimeoutError",
    "Sex",
    "birth_date_from_id",
    "ethnicity_label",
    "mask_id_number",
    "sex_from_id",
    "validate_id_number",
]
