"""The parsed ID card: fields from the text block, expiry, what may be shown or logged."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date, datetime

import pytest

from devices.idcard.card import IdCard, parse_card_date
from devices.idcard.codes import Sex
from devices.idcard.idnumber import IdNumber
from devices.idcard.protocol import LONG_TERM, TextBlock

NUMBER = "460107199008158600"
BLOCK = TextBlock(
    name="赵六", sex="2", ethnicity="03", birth_date="19900815",
    address="海口市琼山区府城街道桂林社区5号楼1单元102室", id_number=NUMBER,
    authority="海口市公安局琼山分局", valid_from="20210815", valid_until="20410815",
)


def test_card_parses_every_field() -> None:
    card = IdCard.from_text_block(BLOCK, b"WLf-photo")
    assert card == IdCard(
        name="赵六", sex=Sex.FEMALE, ethnicity="03", birth_date=date(1990, 8, 15),
        address="海口市琼山区府城街道桂林社区5号楼1单元102室", id_number=IdNumber(NUMBER),
        authority="海口市公安局琼山分局", valid_from=date(2021, 8, 15),
        valid_until=date(2041, 8, 15), photo=b"WLf-photo")
    assert card.photo == b"WLf-photo"
    assert card.to_text_block() == BLOCK


def test_long_term_card_has_no_end() -> None:
    card = IdCard.from_text_block(replace(BLOCK, valid_until=LONG_TERM))
    assert card.valid_until is None
    assert not card.is_expired(date(2199, 1, 1))
    assert card.to_text_block().valid_until == LONG_TERM


@pytest.mark.parametrize(("today", "expired"), [
    (date(2041, 8, 14), False),
    (date(2041, 8, 15), False),  # the last day still counts
    (date(2041, 8, 16), True),
    (datetime(2041, 8, 16, 0, 1), True),  # a clock that gives datetimes works too
])
def test_expiry(today: date, expired: bool) -> None:
    assert IdCard.from_text_block(BLOCK).is_expired(today) is expired


def test_repr_and_log_never_show_the_number_the_address_or_the_photo(
    caplog: pytest.LogCaptureFixture,
) -> None:
    card = IdCard.from_text_block(BLOCK, bytes(1024))
    caplog.set_level(logging.INFO)
    logging.getLogger("test").info("card %s %r", card, [card])
    for shown in (repr(card), str(card), caplog.text):
        assert NUMBER not in shown and "19900815" not in shown
        assert "桂林社区" not in shown and "赵六" not in shown
        assert "4601*************0" in shown and "<1024 bytes>" in shown


def test_masked_dict_is_what_the_screen_shows() -> None:
    card = IdCard.from_text_block(BLOCK)
    assert card.masked() == {
        "name": "赵六", "sex": "2", "sex_label": "女", "ethnicity": "03",
        "ethnicity_label": "回", "birth_date": "1990-08-15", "id_number": "4601*************0",
        "authority": "海口市公安局琼山分局", "valid_from": "2021-08-15",
        "valid_until": "2041-08-15",
    }
    assert card.masked("en")["ethnicity_label"] == "Hui"
    assert card.masked("en")["sex_label"] == "female"


@pytest.mark.parametrize(("field", "value", "message"), [
    ("birth_date", "19900230", "birth_date"),
    ("valid_from", "2021081", "valid_from"),
    ("valid_until", "永久", "valid_until"),
    ("sex", "3", "sex"),
    ("id_number", "46010719900815860", "identity number"),
])
def test_bad_fields_name_themselves(field: str, value: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        IdCard.from_text_block(replace(BLOCK, **{field: value}))


def test_parse_card_date() -> None:
    assert parse_card_date("20000229") == date(2000, 2, 29)
    with pytest.raises(ValueError):
        parse_card_date("2001-02-28")
