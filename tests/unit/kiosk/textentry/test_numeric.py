"""The numeric keypad's values: phone numbers and year-months; impossible keys are refused."""

from __future__ import annotations

import pytest

from kiosk.textentry.numeric import NumberEntry, NumberKind


def typed(kind: NumberKind, keys: str) -> NumberEntry:
    entry = NumberEntry(kind, min_year=1950, max_year=2026)
    for key in keys:
        entry.press(key)
    return entry


@pytest.mark.parametrize(("keys", "digits", "valid", "display"), [
    ("13800138000", "13800138000", True, "138 0013 8000"),
    ("138001380009", "13800138000", True, "138 0013 8000"),  # a 12th digit is refused
    ("12", "1", False, "1"),  # no mobile number starts 12
    ("01065529988", "01065529988", True, "01065529988"),  # landline with area code
    ("5", "", False, ""),
    ("1380013", "1380013", False, "138 0013"),
])
def test_phone_numbers(keys: str, digits: str, valid: bool, display: str) -> None:
    entry = typed(NumberKind.PHONE, keys)
    assert (entry.digits, entry.valid, entry.display) == (digits, valid, display)


@pytest.mark.parametrize(("keys", "value", "display"), [
    ("202405", "2024-05", "2024 - 05"),
    ("202413", "", "2024 - 1"),  # month 13 is refused at the second digit
    ("20242", "", "2024"),  # no month starts with 2
    ("3024", "", "2"),  # 3…, 0… and 24… can begin no year from 1950 to 2026
    ("194912", "", "1991"),  # 194… is before 1950; 1991 then refuses month 2…
    ("199012", "1990-12", "1990 - 12"),
])
def test_months(keys: str, value: str, display: str) -> None:
    entry = typed(NumberKind.MONTH, keys)
    assert (entry.value, entry.display) == (value, display)


def test_backspace_and_clear() -> None:
    entry = typed(NumberKind.PHONE, "138")
    entry.backspace()
    assert entry.digits == "13"
    entry.clear()
    assert entry.digits == "" and not entry.press("x")
