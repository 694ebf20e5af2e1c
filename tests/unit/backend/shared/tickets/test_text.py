"""Text, phone numbers and redaction."""

from __future__ import annotations

import pytest

from backend.shared.errors import AppError
from backend.shared.tickets.text import clean_text, mask_phone, normal_phone, redact


@pytest.mark.parametrize(("given", "normal", "masked"), [
    ("13812345678", "13812345678", "138****5678"),
    ("138 1234 5678", "13812345678", "138****5678"),
    ("+8613812345678", "13812345678", "138****5678"),
    ("１３８１２３４５６７８", "13812345678", "138****5678"),  # full-width digits from a keypad
    ("010-62345678", "010-62345678", "010-****5678"),
    ("01062345678", "010-62345678", "010-****5678"),
    ("0755-2345678", "0755-2345678", "0755-***5678"),
    ("(0571)87654321", "0571-87654321", "0571-****4321"),
])
def test_phone_numbers(given: str, normal: str, masked: str) -> None:
    assert normal_phone(given) == normal
    assert mask_phone(normal) == masked


@pytest.mark.parametrize("given", ["", "12345", "1381234567", "138123456789", "11812345678", "23812345678",
                                   "010-1234567", "abc", "13812345678; DROP TABLE", "400-123-4567"])
def test_things_that_are_not_phone_numbers(given: str) -> None:
    with pytest.raises(AppError) as refused:
        normal_phone(given)
    assert refused.value.code == "ticket.bad_phone"


@pytest.mark.parametrize(("given", "code"), [
    ("", "ticket.description_empty"),
    ("   \n ", "ticket.description_empty"),
    ("bell\x07", "ticket.bad_text"),
    ("nul\x00", "ticket.bad_text"),
    ("esc\x1b[31m", "ticket.bad_text"),
    ("abc\u202edcba", "ticket.bad_text"),  # a right-to-left override hides what text says
    ("x" * 11, "ticket.description_too_long"),
])
def test_refused_text(given: str, code: str) -> None:
    with pytest.raises(AppError) as refused:
        clean_text(given, max_length=10)
    assert refused.value.code == code


def test_text_is_kept_as_typed() -> None:
    assert clean_text("  <script>alert(1)</script>\r\n第二行 ", max_length=100) == \
        "<script>alert(1)</script>\n第二行"
    assert clean_text("", max_length=5, required=False) == ""


def test_redaction_hides_phone_and_id_numbers() -> None:
    text = "我是张三，电话13812345678，身份证460107194912310022，门牌101室，编号2026112600001"
    shown = redact(text)
    assert "13812345678" not in shown and "460107194912310022" not in shown
    assert "138****5678" in shown and "110***********002X" in shown
    assert "101室" in shown and "2026112600001" in shown  # 13 digits: neither a phone nor an ID
