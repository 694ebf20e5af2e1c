"""What a resident ID card holds, parsed; its repr never shows the full number."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from .codes import Sex, ethnicity_label
from .idnumber import IdNumber, IdNumberError
from .protocol import LONG_TERM, TextBlock


@dataclass(frozen=True, repr=False)
class IdCard:
    """A resident ID card as read from its chip; ``valid_until`` is None for 长期 (long-term)."""

    name: str
    sex: Sex
    ethnicity: str  # GB 3304 code, e.g. "01"
    birth_date: date
    address: str
    id_number: IdNumber
    authority: str
    valid_from: date
    valid_until: date | None
    photo: bytes = field(default=b"", compare=False)

    def is_expired(self, today: date) -> bool:
        """Tell whether the card's validity ended before today (the last day still counts)."""
        return self.valid_until is not None and _as_date(today) > self.valid_until

    def masked(self, lang: str = "zh") -> dict[str, Any]:
        """Return what the kiosk may show on screen: the number masked, labels in one language."""
        return {
            "name": self.name,
            "sex": self.sex.value,
            "sex_label": self.sex.label(lang),
            "ethnicity": self.ethnicity,
            "ethnicity_label": ethnicity_label(self.ethnicity, lang),
            "birth_date": self.birth_date.isoformat(),
            "id_number": self.id_number.masked,
            "authority": self.authority,
            "valid_from": self.valid_from.isoformat(),
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
        }

    def to_text_block(self) -> TextBlock:
        """Return the card's fields as the chip stores them."""
        return TextBlock(
            name=self.name, sex=self.sex.value, ethnicity=self.ethnicity,
            birth_date=_ymd(self.birth_date), address=self.address,
            id_number=self.id_number.reveal(), authority=self.authority,
            valid_from=_ymd(self.valid_from),
            valid_until=_ymd(self.valid_until) if self.valid_until else LONG_TERM,
        )

    @classmethod
    def from_text_block(cls, block: TextBlock, photo: bytes = b"") -> IdCard:
        """Parse stored fields; raise ValueError naming the field that is wrong."""
        return cls(
            name=block.name, sex=_sex(block.sex), ethnicity=block.ethnicity,
            birth_date=parse_card_date(block.birth_date, "birth_date"),
            address=block.address, id_number=_id_number(block.id_number),
            authority=block.authority,
            valid_from=parse_card_date(block.valid_from, "valid_from"),
            valid_until=(None if block.valid_until == LONG_TERM
                         else parse_card_date(block.valid_until, "valid_until")),
            photo=photo,
        )

    def __repr__(self) -> str:
        # Logs may show who (partly) but never the number, the address or the photo.
        name = self.name[:1] + "*" * (len(self.name) - 1)
        return (f"IdCard(name='{name}', id_number={self.id_number!r}, "
                f"valid_until={self.valid_until}, photo=<{len(self.photo)} bytes>)")

    __str__ = __repr__


def parse_card_date(text: str, field_name: str = "date") -> date:
    """Parse a YYYYMMDD card date; raise ValueError naming the field."""
    if len(text) != 8 or not text.isdigit():
        raise ValueError(f"{field_name} {text!r} is not YYYYMMDD")
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError as err:
        raise ValueError(f"{field_name} {text!r} is not a real date") from err


def _ymd(value: date) -> str:
    return value.strftime("%Y%m%d")


def _as_date(value: date) -> date:
    return value.date() if isinstance(value, datetime) else value


def _sex(code: str) -> Sex:
    try:
        return Sex(code)
    except ValueError as err:
        raise ValueError(f"sex code {code!r} is not one of 0, 1, 2, 9") from err


def _id_number(text: str) -> IdNumber:
    try:
        return IdNumber(text)
    except IdNumberError as err:
        raise ValueError(str(err)) from err
