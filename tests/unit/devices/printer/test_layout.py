"""Layout: display width, wrapping (CJK, mixed, long words, double size), key–value rows."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devices.printer.layout import (
    char_width,
    display_width,
    key_value_lines,
    sanitize,
    wrap,
)


@pytest.mark.parametrize(
    ("text", "width"),
    [
        ("", 0),
        ("abc", 3),
        ("居住证明", 8),  # W
        ("，：（）", 8),  # full-width punctuation (F)
        ("ＡＢ１", 6),  # full-width latin and digits (F)
        ("　", 2),  # ideographic space (F)
        ("JZ2026 居住", 11),
        ("2019年3月", 9),
        ("阿卜杜·买买提", 14),  # middle dot is ambiguous, printed from the double-byte font
        ("café", 5),
        ("a\u200bb", 2),  # zero-width space takes nothing
    ],
)
def test_display_width(text: str, width: int) -> None:
    assert display_width(text) == width


@pytest.mark.parametrize("ch", ["中", "，", "：", "（", "）", "。", "、", "《", "》", "“", "！"])
def test_cjk_characters_and_punctuation_take_two_columns(ch: str) -> None:
    assert char_width(ch) == 2


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        # Chinese breaks between any two characters.
        ("北京市东城区东华门街道", 8, ["北京市东", "城区东华", "门街道"]),
        # Odd width: a wide character never straddles the edge, the column stays empty.
        ("北京市东城", 7, ["北京市", "东城"]),
        # Latin words wrap at spaces.
        ("Certificate of Residence issued", 12, ["Certificate", "of Residence", "issued"]),
        # A word longer than a line is broken, after filling the line it starts on.
        ("see https://verify.example.cn/abc", 12, ["see https://", "verify.examp", "le.cn/abc"]),
        ("ABCDEFGHIJKLMNOPQRST", 8, ["ABCDEFGH", "IJKLMNOP", "QRST"]),
        # Mixed: latin runs stay whole, Chinese fills around them.
        ("自2019年3月起居住", 8, ["自2019年", "3月起居", "住"]),
        # Closing punctuation does not start a line: the character before it comes along.
        ("特此证明。谢谢", 8, ["特此证", "明。谢谢"]),
        ("兹证明：张三", 6, ["兹证", "明：张", "三"]),
        # Explicit newlines are kept; empty paragraphs are empty lines.
        ("第一行\n\nsecond", 10, ["第一行", "", "second"]),
        ("", 10, [""]),
        # Spaces do not start a wrapped line and do not end one.
        ("aaaa bbbb", 4, ["aaaa", "bbbb"]),
        ("  indented", 12, ["  indented"]),
    ],
)
def test_wrap(text: str, width: int, lines: list[str]) -> None:
    assert wrap(text, width) == lines


@pytest.mark.parametrize(
    ("text", "columns", "size", "lines"),
    [
        ("居住证明", 32, 2, ["居住证明"]),
        ("社区居民委员会开具的居住证明", 32, 2, ["社区居民委员会开", "具的居住证明"]),
        ("社区居民委员会开具的居住证明", 48, 2, ["社区居民委员会开具的居住", "证明"]),
    ],
)
def test_wrap_at_double_size_uses_half_the_columns(
    text: str, columns: int, size: int, lines: list[str]
) -> None:
    assert wrap(text, columns // size) == lines


def test_wrap_refuses_a_width_where_chinese_cannot_fit() -> None:
    with pytest.raises(ValueError):
        wrap("中", 1)


_TEXT = st.text(
    alphabet=st.sampled_from(list("abcdefgh XYZ0123456789-居住证明北京市，：（）。、·é")),
    max_size=120,
)


@given(text=_TEXT, width=st.integers(min_value=2, max_value=48))
def test_wrap_never_exceeds_the_width_nor_loses_or_splits_a_character(
    text: str, width: int
) -> None:
    lines = wrap(text, width)
    assert all(display_width(line) <= width for line in lines)
    # Only spaces at the wrap points may go; every other character survives whole and in order.
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


@pytest.mark.parametrize(
    ("key", "value", "width", "lines"),
    [
        ("姓名", "张三", 16, ["姓名        张三"]),
        ("证明编号", "JZ2026000123", 32, ["证明编号            JZ2026000123"]),
        ("居住期限：", "2019年3月至今", 26, ["居住期限：   2019年3月至今"]),
        # Too long for one line: the value goes under the key, indented, wrapped.
        ("住址", "北京市东城区东华门街道多福巷社区（3号楼）", 16,
         ["住址", "  北京市东城区东", "  华门街道多福巷", "  社区（3号楼）"]),
        # Exactly one column left between them still fits on one line.
        ("ab", "cdefghijk", 12, ["ab cdefghijk"]),
        ("ab", "cdefghijkl", 12, ["ab", "  cdefghijkl"]),
        ("备注", "", 16, ["备注"]),
        ("", "", 16, [""]),
        # Newlines in a value do not break the row apart.
        ("姓名", "张\n三", 16, ["姓名       张 三"]),
    ],
)
def test_key_value_lines(key: str, value: str, width: int, lines: list[str]) -> None:
    assert key_value_lines(key, value, width) == lines
    assert all(display_width(line) <= width for line in lines)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("张三\x1b@\x1dV\x00", "张三@V"),  # ESC/POS commands smuggled in a name are defused
        ("a\tb", "a b"),
        ("a\r\nb\rc", "a\nb\nc"),
        ("e\u0301", "é"),  # decomposed accents are composed (NFC), not dropped
        ("a\u00a0b", "a b"),  # no-break space prints as a space
        ("\u200b\ufeff张", "张"),  # format characters
        ("\ue000x", "x"),  # private use
    ],
)
def test_sanitize(raw: str, clean: str) -> None:
    assert sanitize(raw) == clean
