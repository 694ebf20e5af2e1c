"""Demo residents' ID cards, built from the demo register and the community's address."""

from __future__ import annotations

from datetime import date

import pytest

from devices.idcard.codes import Sex
from support.demo_cards import demo_card, register_rows

TODAY = date(2026, 11, 26)


def test_demo_card_fields_come_from_the_register() -> None:
    card = demo_card("赵六", today=TODAY)
    assert (card.name, card.sex, card.ethnicity, card.birth_date) == (
        "赵六", Sex.FEMALE, "03", date(1990, 8, 15))
    assert card.address == "海口市琼山区府城街道桂林社区5号楼1单元102室"
    assert card.id_number.reveal() == "460107199008158600"
    assert card.authority == "海口市公安局琼山分局"
    assert len(card.photo) == 1024


@pytest.mark.parametrize(("who", "valid_from", "valid_until"), [
    ("张三", date(2021, 3, 17), None),  # 63 at issue: long-term
    ("冯十二", date(2021, 4, 19), None),  # 48 at issue
    ("钱七", date(2021, 2, 9), date(2041, 2, 9)),  # 44 at issue: 20 years
    ("孙八", date(2024, 5, 21), date(2044, 5, 21)),  # first card at 16
    ("陈十三", date(2026, 3, 4), date(2046, 3, 4)),
])
def test_validity_is_plausible(who: str, valid_from: date, valid_until: date | None) -> None:
    card = demo_card(who, today=TODAY)
    assert (card.valid_from, card.valid_until) == (valid_from, valid_until)


def test_every_demo_card_is_valid_today_and_fits_the_chip() -> None:
    for index in range(len(register_rows())):
        card = demo_card(index, today=TODAY)
        assert card.id_number.check(today=TODAY).valid
        assert not card.is_expired(TODAY)
        assert card.valid_from <= TODAY
        assert len(card.to_text_block().encode()) == 256


def test_lookup_by_index_name_or_number() -> None:
    assert demo_card(0, today=TODAY) == demo_card("张三", today=TODAY)
    assert demo_card("460107195803179912", today=TODAY).name == "张三"
    with pytest.raises(LookupError):
        demo_card("nobody")
    with pytest.raises(LookupError):
        demo_card(99)
