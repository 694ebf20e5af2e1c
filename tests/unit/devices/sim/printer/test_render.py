"""Rendering a page to text and to an image, and storing jobs in the jobs folder."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from PIL import Image

from devices.sim.printer.interpreter import Interpreter
from devices.sim.printer.jobs import JobStore, render
from devices.sim.printer.modes import Modes
from devices.sim.printer.page import Page
from devices.sim.printer.parser import EscPosParser
from devices.sim.printer.render_png import render_png
from devices.sim.printer.render_text import render_text
from devices.sim.printer.session import Session
from devices.sim.printer.state import PrinterState
from kioskcli.sim_data import printer_font

FONT = printer_font()  # the product's CJK font, as kiosk sim gives it


def page(data: bytes, dot_width: int = 384) -> Page:
    interpreter = Interpreter(Modes(), dot_width)
    blocks = [b for cmd in EscPosParser().feed(data) for b in interpreter.apply(cmd)]
    return Page(dot_width, blocks)


def ink(image: Image.Image) -> int:
    return image.convert("L").histogram()[0]


def test_text_keeps_lines_and_rough_alignment() -> None:
    data = (b"\x1ba\x01" + b"\x1c&" + "居住证明".encode("gb18030") + b"\n\x1ba\x02R\n"
            b"\x1ba\x00L\x1dV\x00")
    assert render_text(page(data)) == (
        " " * 12 + "居住证明\n" + " " * 31 + "R\nL\n" + "------------- cut --------------\n")


def test_text_labels_graphics() -> None:
    data = (b"\x1d(k\x05\x001P0AB\x1d(k\x03\x001Q0\x1dkI\x04{B12\n"
            b"\x1dv0\x00\x01\x00\x02\x00\xff\xff\x1dV\x01")
    assert render_text(page(data)).splitlines() == [
        "[QR L: AB]".center(32).rstrip(), "[CODE128: 12]".center(32).rstrip(), "",
        "[image 8x2]".center(32).rstrip(), " partial cut ".center(32, "~")]


@pytest.mark.parametrize("dot_width", [384, 576])
def test_image_is_as_wide_as_the_printer_and_as_tall_as_the_blocks(dot_width: int) -> None:
    printed = page(b"a\n\x1b3\x40b\n\x1bJ\x10", dot_width)
    image = render_png(printed, FONT)
    assert image.size == (dot_width, 30 + 64 + 16)
    assert image.mode == "1"


def test_bold_prints_more_ink_and_double_size_four_times_as_much() -> None:
    normal = ink(render_png(page(b"HELLO\n"), FONT))
    bold = ink(render_png(page(b"\x1bE\x01HELLO\n"), FONT))
    double = ink(render_png(page(b"\x1d!\x11HELLO\n"), FONT))
    assert normal < bold
    assert double == 4 * normal


def test_chinese_characters_are_drawn_not_boxes() -> None:
    one = render_png(page(b"\x1c&" + "一".encode("gb18030") + b"\n"), FONT).crop((0, 0, 24, 24))
    many = render_png(page(b"\x1c&" + "疆".encode("gb18030") + b"\n"), FONT).crop((0, 0, 24, 24))
    assert 0 < ink(one) < ink(many)


def test_inverted_text_is_white_on_black() -> None:
    image = render_png(page(b"\x1dB\x01 \n"), FONT).crop((0, 0, 12, 24))
    assert ink(image) == 12 * 24


def test_cut_is_a_dashed_line() -> None:
    image = render_png(page(b"\x1dV\x00"), FONT)
    row = [image.getpixel((x, 6)) for x in range(image.width)]
    assert row[:16] == [0] * 10 + [1] * 6


# -- jobs folder -----------------------------------------------------------------------------------

def finished(data: bytes) -> Session:
    s = Session(PrinterState(), Modes(), 384)
    s.feed(data)
    return s


def test_store_writes_four_files_and_a_json_record(tmp_path: Path) -> None:
    result = finished(b"hello\n\x1d(k\x05\x001P0QR\x1d(k\x03\x001Q0\n").finish()
    assert result is not None
    record = JobStore(tmp_path).add(render(result, FONT))
    assert record.id == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "0001.bin", "0001.json", "0001.png", "0001.txt"]
    stored = json.loads((tmp_path / "0001.json").read_text(encoding="utf-8"))
    assert stored["status"] == "complete" and stored["bytes"] == len(result.raw)
    assert stored["qr_codes"][0]["payload"] == "QR"
    assert stored["scanned"] == [{"format": "QR Code", "text": "QR", "error_correction": "L"}]
    assert (tmp_path / "0001.bin").read_bytes() == result.raw
    assert record.text.splitlines()[0] == "hello"


def test_numbering_continues_after_jobs_already_in_the_folder(tmp_path: Path) -> None:
    (tmp_path / "0041.json").write_text("{}")
    result = finished(b"x\n").finish()
    assert result is not None
    assert JobStore(tmp_path).add(render(result, FONT)).id == 42


def test_wait_for_a_job_times_out(tmp_path: Path) -> None:
    with pytest.raises(TimeoutError):
        JobStore(tmp_path).wait_for(0, timeout=0.05)


def test_wait_for_a_job_wakes_when_it_is_added(tmp_path: Path) -> None:
    store = JobStore(tmp_path)
    result = finished(b"x\n").finish()
    assert result is not None
    waiting = threading.Event()
    got: list[int] = []

    def waiter() -> None:
        waiting.set()
        got.append(store.wait_for(0, timeout=5).id)

    thread = threading.Thread(target=waiter)
    thread.start()
    waiting.wait(5)
    store.add(render(result, FONT))
    thread.join(5)
    assert got == [1]
