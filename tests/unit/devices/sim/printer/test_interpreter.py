"""What the simulated printer prints for each command: text, Chinese, styles, feeds, cuts."""

from __future__ import annotations

import pytest

from devices.sim.printer.interpreter import Interpreter
from devices.sim.printer.modes import Modes
from devices.sim.printer.page import Block, Cut, Feed, Glyph, TextLine
from devices.sim.printer.parser import EscPosParser

FS_ON, FS_OFF = b"\x1c&", b"\x1c."
PUNCTUATION = "，：（）"


def run(data: bytes, *, chinese_default: bool = False, dot_width: int = 384,
        chunk: int | None = None) -> tuple[list[Block], Interpreter]:
    interpreter = Interpreter(Modes(chinese_default=chinese_default), dot_width)
    parser = EscPosParser()
    step = chunk or max(1, len(data))
    blocks: list[Block] = []
    for pos in range(0, len(data), step):
        for cmd in parser.feed(data[pos:pos + step]):
            blocks += interpreter.apply(cmd)
    return blocks, interpreter


def texts(blocks: list[Block]) -> list[str]:
    return [block.text for block in blocks if isinstance(block, TextLine)]


def glyphs(blocks: list[Block]) -> list[Glyph]:
    return [item for block in blocks if isinstance(block, TextLine)
            for item in block.items if isinstance(item, Glyph)]


# -- Chinese ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("chunk", [None, 1, 3])
def test_gb18030_after_fs_and_decodes_including_full_width_punctuation(chunk: int | None) -> None:
    text = f"居住证明{PUNCTUATION}张三"
    blocks, interpreter = run(FS_ON + text.encode("gb18030") + b"\n" + FS_OFF, chunk=chunk)
    assert texts(blocks) == [text]
    assert all(g.wide and g.width == 24 for g in glyphs(blocks))
    assert interpreter.single_byte_high == 0


def test_full_width_punctuation_alone_decodes() -> None:
    blocks, _ = run(FS_ON + PUNCTUATION.encode("gb18030") + b"\n")
    assert texts(blocks) == [PUNCTUATION]


def test_ascii_inside_chinese_mode_stays_single_byte() -> None:
    blocks, _ = run(FS_ON + "编号:A1，".encode("gb18030") + b"\n")
    assert [(g.char, g.wide, g.width) for g in glyphs(blocks)] == [
        ("编", True, 24), ("号", True, 24), (":", False, 12), ("A", False, 12),
        ("1", False, 12), ("，", True, 24)]


def test_gb18030_without_fs_and_prints_code_page_mojibake() -> None:
    data = "证明，".encode("gb18030")
    blocks, interpreter = run(data + b"\n")
    assert texts(blocks) == [data.decode("cp437")]
    assert texts(blocks) != ["证明，"]
    assert interpreter.single_byte_high == len(data)


def test_chinese_default_printer_needs_no_fs_and() -> None:
    blocks, interpreter = run("证明，".encode("gb18030") + b"\n", chinese_default=True)
    assert texts(blocks) == ["证明，"]
    assert interpreter.single_byte_high == 0


def test_fs_dot_leaves_chinese_mode() -> None:
    data = FS_ON + "中".encode("gb18030") + b"\n" + FS_OFF + "中".encode("gb18030") + b"\n"
    blocks, _ = run(data)
    assert texts(blocks) == ["中", "中".encode("gb18030").decode("cp437")]


# -- code pages ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("page", "byte", "char"), [
    (0, 0x82, "é"), (2, 0x9B, "ø"), (16, 0x80, "€"), (17, 0x80, "А"), (19, 0xD5, "€"),
])
def test_esc_t_selects_the_code_page(page: int, byte: int, char: str) -> None:
    blocks, interpreter = run(b"\x1bt" + bytes([page, byte]) + b"\n")
    assert texts(blocks) == [char]
    assert interpreter.problems == []


def test_unknown_code_page_is_reported_and_prints_as_cp437() -> None:
    blocks, interpreter = run(b"\x1bt\x63\x82\n")
    assert texts(blocks) == ["é"]
    assert [p.offset for p in interpreter.problems] == [0]
    assert "code page 99" in interpreter.problems[0].note


# -- styles and layout -----------------------------------------------------------------------------

def test_esc_bang_sets_bold_double_size_font_and_underline() -> None:
    blocks, _ = run(b"\x1b!\xb8A\n\x1b!\x01B\n")
    a, b = glyphs(blocks)
    assert (a.style.bold, a.style.width, a.style.height, a.style.underline) == (True, 2, 2, 1)
    assert (a.width, a.height) == (24, 48)
    assert (b.style.font, b.width, b.height, b.style.bold) == (1, 9, 17, False)


def test_gs_bang_sizes_both_kinds_but_esc_bang_only_single_byte() -> None:
    data = FS_ON + b"\x1d!\x11A" + "中".encode("gb18030") + b"\n\x1b!\x00A" + "中".encode(
        "gb18030") + b"\n"
    blocks, _ = run(data)
    sizes = [(g.char, g.width, g.height) for g in glyphs(blocks)]
    assert sizes == [("A", 24, 48), ("中", 48, 48), ("A", 12, 24), ("中", 48, 48)]


def test_fs_bang_sizes_only_double_byte_characters() -> None:
    blocks, _ = run(FS_ON + b"\x1c!\x0cA" + "中".encode("gb18030") + b"\n")
    assert [(g.width, g.height) for g in glyphs(blocks)] == [(12, 24), (48, 48)]


@pytest.mark.parametrize(("command", "attr", "value"), [
    (b"\x1bE\x01", "bold", True), (b"\x1b-\x02", "underline", 2), (b"\x1bM\x01", "font", 1),
    (b"\x1dB\x01", "invert", True), (b"\x1b{\x01", "upside_down", True),
])
def test_style_commands(command: bytes, attr: str, value: object) -> None:
    blocks, _ = run(command + b"X\n")
    assert getattr(glyphs(blocks)[0].style, attr) == value


@pytest.mark.parametrize(("align", "x"), [(0, 0), (1, (384 - 48) // 2), (2, 384 - 48)])
def test_esc_a_aligns_the_line(align: int, x: int) -> None:
    blocks, _ = run(b"\x1ba" + bytes([align]) + b"ABCD\n")
    assert glyphs(blocks)[0].x == x


def test_esc_a_in_the_middle_of_a_line_waits_for_the_next_line() -> None:
    blocks, _ = run(b"AB\x1ba\x02CD\nEF\n")
    first, second = [b for b in blocks if isinstance(b, TextLine)]
    assert first.items[0].x == 0
    assert second.items[0].x == 384 - 24


def test_long_line_wraps_at_the_dot_width() -> None:
    blocks, _ = run(b"x" * 40 + b"\n")
    assert texts(blocks) == ["x" * 32, "x" * 8]
    blocks, _ = run(b"x" * 50 + b"\n", dot_width=576)
    assert texts(blocks) == ["x" * 48, "x" * 2]


def test_left_margin_and_print_area_width_move_and_narrow_the_lines() -> None:
    blocks, _ = run(b"\x1dL\x30\x00\x1dW\x78\x00" + b"x" * 12 + b"\n")
    assert texts(blocks) == ["x" * 10, "x" * 2]
    assert glyphs(blocks)[0].x == 48


def test_tab_moves_to_the_next_tab_stop() -> None:
    blocks, _ = run(b"ab\tc\x1bD\x03\x00\nx\ty\n")
    xs = [(g.char, g.x) for g in glyphs(blocks)]
    assert xs == [("a", 0), ("b", 12), ("c", 96), ("x", 0), ("y", 36)]


def test_line_spacing_commands_set_line_height() -> None:
    blocks, _ = run(b"\x1b3\x50A\n\x1b2B\n")
    assert [b.height for b in blocks] == [80, 30]


def test_tall_characters_make_a_taller_line() -> None:
    blocks, _ = run(b"\x1d!\x22A\n")
    assert blocks[0].height == 72


# -- feeds and cuts --------------------------------------------------------------------------------

def test_lf_on_an_empty_buffer_feeds_one_line() -> None:
    blocks, _ = run(b"\n\n")
    assert blocks == [Feed(30, 1), Feed(30, 1)]


def test_esc_d_prints_the_buffer_then_feeds() -> None:
    blocks, _ = run(b"A\x1bd\x03\x1bd\x02")
    assert texts(blocks) == ["A"]
    assert [b for b in blocks if isinstance(b, Feed)] == [Feed(60, 2), Feed(60, 2)]


def test_esc_j_feeds_dots() -> None:
    blocks, _ = run(b"\x1bJ\x50")
    assert blocks == [Feed(80, 3)]


@pytest.mark.parametrize(("data", "partial"), [
    (b"\x1dV\x00", False), (b"\x1dV0", False), (b"\x1dV\x01", True), (b"\x1dV1", True),
    (b"\x1dVA\x00", False), (b"\x1dVB\x00", True), (b"\x1dVa\x00", False), (b"\x1dVb\x00", True),
    (b"\x1dVg\x00", False), (b"\x1dVh\x00", True), (b"\x1bi", False), (b"\x1bm", True),
])
def test_every_cut_form(data: bytes, partial: bool) -> None:
    blocks, _ = run(data)
    assert blocks == [Cut(partial=partial)]


def test_cut_prints_what_is_in_the_buffer_first() -> None:
    blocks, _ = run(b"tail\x1dVA\x10")
    assert texts(blocks) == ["tail"]
    assert blocks[1:] == [Feed(16, 0), Cut(partial=False)]


# -- init and problems -----------------------------------------------------------------------------

def test_esc_at_resets_modes_and_discards_an_unprinted_line() -> None:
    blocks, interpreter = run(FS_ON + b"\x1bE\x01\x1ba\x01unsent\x1b@B\n")
    assert texts(blocks) == ["B"]
    assert glyphs(blocks)[0].style.bold is False
    assert glyphs(blocks)[0].x == 0
    assert interpreter.modes.chinese is False
    assert "discarded 6 unprinted bytes" in interpreter.problems[0].note


def test_unknown_command_is_reported_with_offset_and_bytes() -> None:
    _, interpreter = run(b"AB\x1b\x7fCD\n")
    problem = interpreter.problems[0]
    assert (problem.offset, problem.raw, problem.note) == (2, b"\x1b\x7f", "unknown command")
    assert problem.as_dict()["bytes"] == "1b 7f"


def test_unsimulated_known_commands_are_counted_not_dropped() -> None:
    _, interpreter = run(b"\x1bp\x00\x32\x32\x1b \x02\x1d(A\x02\x00\x00\x02")
    assert interpreter.ignored == {"ESC p": 1, "ESC SP": 1}
    assert [p.note for p in interpreter.problems] == ["GS ( A is not simulated"]


def test_text_without_lf_stays_in_the_buffer() -> None:
    blocks, interpreter = run(b"never printed")
    assert blocks == []
    assert interpreter.leftover_chars() == 13
