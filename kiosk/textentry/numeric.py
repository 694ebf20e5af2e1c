"""Numbers on a keypad: phone numbers and year-months. Keys that cannot lead to a valid value are
refused as they are pressed, so the resident never types something the screen then rejects."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

MOBILE = re.compile(r"^1[3-9]\d{9}$")  # mainland mobile numbers
LANDLINE = re.compile(r"^0\d{9,11}$")  # area code + local number


class NumberKind(StrEnum):
    PHONE = "phone"
    MONTH = "month"
    PIN = "pin"
    COUNT = "count"  # how many (members of an organisation…): 1 and up, no leading zero


LONGEST = {NumberKind.PHONE: 12, NumberKind.MONTH: 6, NumberKind.PIN: 12, NumberKind.COUNT: 5}
PIN_SHORTEST = 8  # the station refuses shorter technician PINs in production


@dataclass
class NumberEntry:
    kind: NumberKind
    digits: str = ""
    min_year: int = 1900
    max_year: int = 2100

    def press(self, digit: str) -> bool:
        """Type a digit; return False (and change nothing) if it cannot be right."""
        if len(digit) != 1 or not digit.isdigit() or len(self.digits) >= LONGEST[self.kind]:
            return False
        candidate = self.digits + digit
        if self.kind is NumberKind.MONTH and not self._month_possible(candidate):
            return False
        if self.kind is NumberKind.PHONE and not _phone_possible(candidate):
            return False
        if self.kind is NumberKind.COUNT and candidate[0] == "0":
            return False
        self.digits = candidate
        return True

    def backspace(self) -> None:
        self.digits = self.digits[:-1]

    def clear(self) -> None:
        self.digits = ""

    @property
    def valid(self) -> bool:
        """True when the digits make a complete, plausible value."""
        if self.kind is NumberKind.PHONE:
            return bool(MOBILE.match(self.digits) or LANDLINE.match(self.digits))
        if self.kind is NumberKind.PIN:
            return len(self.digits) >= PIN_SHORTEST
        if self.kind is NumberKind.COUNT:
            return bool(self.digits)
        return len(self.digits) == 6 and self._month_possible(self.digits)

    @property
    def value(self) -> str:
        """The value as stored: digits for a phone, YYYY-MM for a month ("" while incomplete)."""
        if not self.valid:
            return ""
        if self.kind is NumberKind.MONTH:
            return f"{self.digits[:4]}-{self.digits[4:]}"
        return self.digits

    @property
    def display(self) -> str:
        """The digits grouped as people read them: 138 0013 8000, 2024 - 05."""
        d = self.digits
        if self.kind is NumberKind.PIN:
            return "●" * len(d)  # never shown, not even to the technician's neighbour
        if self.kind is NumberKind.PHONE:
            return " ".join(p for p in (d[:3], d[3:7], d[7:]) if p) if d.startswith("1") else d
        return d if len(d) <= 4 else f"{d[:4]} - {d[4:]}"

    def _month_possible(self, digits: str) -> bool:
        year = digits[:4]
        low, high = str(self.min_year), str(self.max_year)
        if not low[: len(year)] <= year <= high[: len(year)]:
            return False
        month = digits[4:]
        if len(month) == 1:
            return month in "01"
        return len(month) < 2 or 1 <= int(month) <= 12


def _phone_possible(digits: str) -> bool:
    if digits[0] == "1":
        return len(digits) <= 11 and (len(digits) < 2 or digits[1] in "3456789")
    return digits[0] == "0"
