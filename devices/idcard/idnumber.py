"""GB 11643 citizen identity numbers: check digit, plausibility, masking, a value that never leaks.

The check digit (ISO 7064 MOD 11-2) and the plausibility of region and birth date are reported
separately: a retired county code or a permit number is still a real number (python-stdnum's
``cn.ric`` rejects some valid ones, so it is not used here).

Kinds of 18-character numbers accepted:
  resident ID               PPCCCC YYYYMMDD SSS C   PP a province-level code
  HK / Macao / Taiwan permit 810000 / 820000 / 830000 YYYYMMDD SSS C
  foreign permanent (2023)  9 PP NNN YYYYMMDD SSS C  PP the issuing province, NNN the country
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .codes import Sex

LENGTH = 18
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
EARLIEST_BIRTH = date(1870, 1, 1)

# GB/T 2260 province-level codes (71 is Taiwan Province in the standard).
PROVINCES = frozenset({
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
    "65", "71",
})
PERMIT_REGIONS = frozenset({"81", "82", "83"})  # Hong Kong, Macao, Taiwan residence permits


class IdKind(StrEnum):
    RESIDENT = "resident"
    RESIDENCE_PERMIT = "hk_macao_taiwan_residence_permit"
    FOREIGN_PERMANENT = "foreign_permanent_residence"


class IdNumberError(ValueError):
    """Text that is not a valid identity number; the message never holds the full number."""

    def __init__(self, message: str, check: IdNumberCheck) -> None:
        super().__init__(message)
        self.check = check


@dataclass(frozen=True)
class IdNumberCheck:
    """What is right and wrong with a number; holds only its masked form."""

    masked: str
    well_formed: bool
    check_digit_valid: bool
    region_plausible: bool
    date_plausible: bool
    kind: IdKind | None = None
    birth_date: date | None = None

    @property
    def plausible(self) -> bool:
        return self.region_plausible and self.date_plausible

    @property
    def valid(self) -> bool:
        return self.well_formed and self.check_digit_valid and self.plausible

    @property
    def problems(self) -> tuple[str, ...]:
        """Return stable codes of what is wrong: format, check_digit, region, birth_date."""
        if not self.well_formed:
            return ("format",)
        found = (
            ("check_digit", self.check_digit_valid),
            ("region", self.region_plausible),
            ("birth_date", self.date_plausible),
        )
        return tuple(code for code, ok in found if not ok)


def normalize(text: str) -> str:
    """Strip surrounding blanks and upper-case a trailing x (people and some readers write x)."""
    return text.strip().upper()


def is_well_formed(text: str) -> bool:
    """Tell whether text is 17 ASCII digits followed by a digit or X."""
    return (len(text) == LENGTH and text[:17].isascii() and text[:17].isdigit()
            and (text[17] == "X" or (text[17].isascii() and text[17].isdigit())))


def check_digit(first17: str) -> str:
    """Return the ISO 7064 MOD 11-2 check character for the first 17 digits."""
    if len(first17) != 17 or not (first17.isascii() and first17.isdigit()):
        raise ValueError("check_digit needs exactly 17 digits")
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def mask_id_number(text: str) -> str:
    """Mask all but the first 4 and the last character ("4601*************2").

    Why so little: the region is known from the community, and the last four digits with the sex
    and a birth date left only tens of numbers to try. Without the birth date, and with only the
    check character shown, more than a million valid numbers fit any stored row (see
    tests/unit/devices/idcard/test_idnumber.py).
    """
    value = text.strip()
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 5) + value[-1:]


def kind_of(text: str) -> IdKind | None:
    """Return the kind of a well-formed number by its region, or None if the region is unknown."""
    if text[:1] == "9":
        return IdKind.FOREIGN_PERMANENT if text[1:3] in PROVINCES else None
    if text[:2] in PERMIT_REGIONS:
        return IdKind.RESIDENCE_PERMIT if text[2:6] == "0000" else None
    return IdKind.RESIDENT if text[:2] in PROVINCES else None


def _birth_date(text: str) -> date | None:
    try:
        return date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        return None


def validate_id_number(text: str, *, today: date | None = None) -> IdNumberCheck:
    """Check a number's form, check digit, region and birth date, each reported on its own."""
    value = normalize(text)
    masked = mask_id_number(value)
    if not is_well_formed(value):
        return IdNumberCheck(masked, False, False, False, False)
    born = _birth_date(value)
    latest = today or date.today()
    return IdNumberCheck(
        masked=masked,
        well_formed=True,
        check_digit_valid=check_digit(value[:17]) == value[17],
        region_plausible=kind_of(value) is not None,
        date_plausible=born is not None and EARLIEST_BIRTH <= born <= latest,
        kind=kind_of(value),
        birth_date=born,
    )


def birth_date_from_id(text: str) -> date:
    """Return the birth date written in a number; raise ValueError if it is not a real date."""
    value = normalize(text)
    born = _birth_date(value) if is_well_formed(value) else None
    if born is None:
        raise ValueError(f"no birth date in {mask_id_number(value)}")
    return born


def sex_from_id(text: str) -> Sex:
    """Return the sex coded by the 17th digit: odd male, even female."""
    value = normalize(text)
    if not is_well_formed(value):
        raise ValueError(f"not an identity number: {mask_id_number(value)}")
    return Sex.MALE if int(value[16]) % 2 else Sex.FEMALE


class IdNumber:
    """An identity number whose str and repr are masked; ``reveal()`` gives the full number."""

    __slots__ = ("_value",)
    _value: str

    def __init__(self, text: str) -> None:
        value = normalize(text)
        if not is_well_formed(value):
            check = validate_id_number(value)
            raise IdNumberError(f"not an 18-character identity number: {check.masked}", check)
        object.__setattr__(self, "_value", value)

    @classmethod
    def parse(cls, text: str, *, today: date | None = None) -> IdNumber:
        """Return the number if it is valid in every respect, else raise IdNumberError."""
        check = validate_id_number(text, today=today)
        if not check.valid:
            raise IdNumberError(
                f"invalid identity number {check.masked}: {', '.join(check.problems)}", check
            )
        return cls(text)

    def reveal(self) -> str:
        """Return the full number: only for storage under a keyed hash or the chip itself."""
        return self._value

    @property
    def masked(self) -> str:
        return mask_id_number(self._value)

    @property
    def sex(self) -> Sex:
        return sex_from_id(self._value)

    @property
    def birth_date(self) -> date:
        return birth_date_from_id(self._value)

    def check(self, *, today: date | None = None) -> IdNumberCheck:
        """Return the full validation report of this number."""
        return validate_id_number(self._value, today=today)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("IdNumber is immutable")

    def __reduce__(self) -> tuple[type[IdNumber], tuple[str]]:
        return (IdNumber, (self._value,))

    def __str__(self) -> str:
        return self.masked

    def __format__(self, spec: str) -> str:
        return format(self.masked, spec)

    def __repr__(self) -> str:
        return f"IdNumber('{self.masked}')"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, IdNumber) and other._value == self._value

    def __hash__(self) -> int:
        return hash(("IdNumber", self._value))
