"""GB 11643 numbers: check digit and plausibility reported apart, masking, a value that never leaks."""

from __future__ import annotations

import csv
import logging
from datetime import date

import pytest

import assets
from devices.idcard.codes import Sex
from devices.idcard.idnumber import (
    IdKind,
    IdNumber,
    IdNumberError,
    birth_date_from_id,
    check_digit,
    mask_id_number,
    sex_from_id,
    validate_id_number,
)

TODAY = date(2026, 11, 26)


def _register_numbers() -> list[str]:
    with assets.path("register", "demo_register.csv").open(encoding="utf-8") as fh:
        return [row["id_number"] for row in csv.DictReader(fh)]


# (number, check digit valid, region plausible, date plausible, kind)
# Check digits below were computed by hand with the recursive ISO 7064 form, not by the code.
VALID = [
    ("11010519491231002X", IdKind.RESIDENT),  # the standard's own example
    ("440524188001010014", IdKind.RESIDENT),  # the standard's example with a retired county code
    ("11010519491231002x", IdKind.RESIDENT),  # lower-case x as people type it
    (" 11010519491231002X ", IdKind.RESIDENT),  # padded, as in the card's text block
    ("810000199408230021", IdKind.RESIDENCE_PERMIT),  # Hong Kong residents' permit
    ("820000198711050047", IdKind.RESIDENCE_PERMIT),  # Macao
    ("830000200002290058", IdKind.RESIDENCE_PERMIT),  # Taiwan, born on 29 February
    ("911840198001010013", IdKind.FOREIGN_PERMANENT),  # 2023 foreign permanent residence card
    ("944156199006150029", IdKind.FOREIGN_PERMANENT),
] + [(number, IdKind.RESIDENT) for number in _register_numbers()]


@pytest.mark.parametrize(("number", "kind"), VALID)
def test_valid_numbers(number: str, kind: IdKind) -> None:
    check = validate_id_number(number, today=TODAY)
    assert (check.valid, check.kind, check.problems) == (True, kind, ())


INVALID = [
    # number, check digit ok, region ok, date ok, problems
    ("110105194912310021", False, True, True, ("check_digit",)),
    ("110105194902300020", True, True, False, ("birth_date",)),  # 30 February
    ("110105209912310010", True, True, False, ("birth_date",)),  # born in the future
    ("110105186912310011", True, True, False, ("birth_date",)),  # before 1870
    ("000105194912310024", True, False, True, ("region",)),  # no province 00
    ("720105199001010014", True, False, True, ("region",)),  # no province 72
    ("810105194912310025", True, False, True, ("region",)),  # a permit is 810000, not 8101xx
    ("999840198001010015", True, False, True, ("region",)),  # foreign card from province 99
    ("000105209902300020", False, False, False, ("check_digit", "region", "birth_date")),
]


@pytest.mark.parametrize(("number", "digit_ok", "region_ok", "date_ok", "problems"), INVALID)
def test_invalid_numbers_report_each_problem_apart(
    number: str, digit_ok: bool, region_ok: bool, date_ok: bool, problems: tuple[str, ...]
) -> None:
    check = validate_id_number(number, today=TODAY)
    assert check.well_formed
    assert (check.check_digit_valid, check.region_plausible, check.date_plausible) == (
        digit_ok, region_ok, date_ok)
    assert check.problems == problems
    assert not check.valid


@pytest.mark.parametrize("text", [
    "11010519491231002",  # 17 characters
    "11010519491231002X1",  # 19
    "",
    "1101051949123100XX",  # X only as the last character
    "11010519491231A02X",
    "１１０１０５１９４９１２３１００２Ｘ",  # full-width digits are not ASCII digits
])
def test_malformed_numbers(text: str) -> None:
    check = validate_id_number(text, today=TODAY)
    assert (check.well_formed, check.valid, check.problems) == (False, False, ("format",))


def test_birth_date_is_judged_against_the_injected_day() -> None:
    born_today = "110105202611260011"
    assert check_digit(born_today[:17]) == born_today[17]
    assert validate_id_number(born_today, today=TODAY).date_plausible
    assert not validate_id_number(born_today, today=date(2026, 11, 25)).date_plausible


def test_check_digit_of_the_standard_example() -> None:
    assert check_digit("11010519491231002") == "X"
    assert check_digit("44052418800101001") == "4"
    with pytest.raises(ValueError):
        check_digit("1101051949123100")


@pytest.mark.parametrize(("text", "masked"), [
    ("460100199001011234", "4601*************4"),
    ("11010519491231002X", "1101*************X"),
    ("460100900101123", "4601*******1123"),  # an old 15-digit number
    ("12345678", "********"),  # too short to show anything
    ("", ""),
])
def test_mask_keeps_first_four_and_the_last_character(text: str, masked: str) -> None:
    assert mask_id_number(text) == masked


def test_id_number_prints_masked_everywhere() -> None:
    number = IdNumber("11010519491231002x")
    assert number.reveal() == "11010519491231002X"
    for shown in (str(number), repr(number), f"{number}", f"{number!r}", f"{number:>20}",
                  repr([number]), repr({"n": number})):
        assert "19491231" not in shown
        assert "1101*************X" in shown


def test_id_number_in_a_log_record_is_masked(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    logging.getLogger("test").info("resident %s / %r", IdNumber("11010519491231002X"),
                                   IdNumber("11010519491231002X"))
    assert "19491231" not in caplog.text
    assert "1101*************X" in caplog.text


def test_id_number_equality_and_hash_use_the_full_number() -> None:
    a, b = IdNumber("11010519491231002X"), IdNumber("11010519491231002x")
    other = IdNumber("110105194912310021")
    assert a == b and hash(a) == hash(b)
    assert a != other  # same masked form, different number
    assert len({a, b, other}) == 2
    with pytest.raises(AttributeError):
        a._value = "x"  # type: ignore[misc]


def test_malformed_id_number_is_refused_without_echoing_it() -> None:
    with pytest.raises(IdNumberError) as info:
        IdNumber("11010519491231A02X")
    assert "19491231" not in str(info.value)
    assert info.value.check.problems == ("format",)


def test_parse_refuses_a_wrong_check_digit_and_says_why() -> None:
    with pytest.raises(IdNumberError) as info:
        IdNumber.parse("110105194912310021", today=TODAY)
    assert "check_digit" in str(info.value)
    assert "19491231" not in str(info.value)
    assert IdNumber.parse("11010519491231002X", today=TODAY).reveal() == "11010519491231002X"


@pytest.mark.parametrize(("number", "sex", "born"), [
    ("11010519491231002X", Sex.FEMALE, date(1949, 12, 31)),  # 17th digit 2
    ("11010519580317991X", Sex.MALE, date(1958, 3, 17)),  # 17th digit 1
    ("830000200002290058", Sex.MALE, date(2000, 2, 29)),
])
def test_sex_and_birth_date_from_the_number(number: str, sex: Sex, born: date) -> None:
    assert sex_from_id(number) == sex
    assert birth_date_from_id(number) == born
    assert IdNumber(number).sex == sex and IdNumber(number).birth_date == born


def test_birth_date_from_a_number_without_a_real_date_raises() -> None:
    with pytest.raises(ValueError, match=r"\*\*\*"):
        birth_date_from_id("110105194902300020")
    with pytest.raises(ValueError):
        sex_from_id("123")
