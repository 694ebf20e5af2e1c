"""Images, QR codes and barcodes: printed where and how the commands say, and readable back."""

from __future__ import annotations

import random

import pytest
import zxingcpp
from escpos.constants import QR_ECLEVEL_H, QR_ECLEVEL_L, QR_ECLEVEL_M, QR_ECLEVEL_Q
from escpos.printer import Dummy
from PIL import Image
from pyzbar.pyzbar import decode

from devices.sim.printer.interpreter import Interpreter
from devices.sim.printer.modes import Modes
from devices.sim.printer.page import (
    Barcode,
    Block,
    InlineBitmap,
    Page,
    Placeholder,
    QrSymbol,
    Raster,
    TextLine,
)
from devices.sim.printer.parser import EscPosParser
from devices.sim.printer.render_png import render_png
from kioskcli.sim_data import printer_font


def run(data: bytes, dot_width: int = 384) -> tuple[list[Block], Interpreter]:
    interpreter = Interpreter(Modes(), dot_width)
    blocks = [b for cmd in EscPosParser().feed(data) for b in interpreter.apply(cmd)]
    return blocks, interpreter


def png(blocks: list[Block], dot_width: int = 384) -> Image.Image:
    return render_png(Page(dot_width, blocks), printer_font())


def black(image: Image.Image, x: int, y: int) -> bool:
    return image.getpixel((x, y)) == 0


def pattern(width: int, height: int, seed: int = 1) -> Image.Image:
    rng = random.Random(seed)
    image = Image.new("1", (width, height), 1)
    image.putdata([rng.choice((0, 1)) for _ in range(width * height)])
    return image


# -- bit images ------------------------------------------------------------------------------------

def test_gs_v_0_raster_bits_become_black_dots() -> None:
    blocks, _ = run(b"\x1dv0\x00\x02\x00\x02\x00\xff\x00\x0f\xf0")
    (raster,) = blocks
    assert isinstance(raster, Raster)
    assert raster.image.size == (16, 2)
    row0 = [black(raster.image, x, 0) for x in range(16)]
    row1 = [black(raster.image, x, 1) for x in range(16)]
    assert row0 == [True] * 8 + [False] * 8
    assert row1 == [False] * 4 + [True] * 8 + [False] * 4


@pytest.mark.parametrize(("mode", "size"), [(0, (8, 1)), (1, (16, 1)), (2, (8, 2)), (3, (16, 2)),
                                            (48, (8, 1)), (51, (16, 2))])
def test_gs_v_0_modes_stretch_the_image(mode: int, size: tuple[int, int]) -> None:
    blocks, _ = run(b"\x1dv0" + bytes([mode]) + b"\x01\x00\x01\x00\xaa")
    assert blocks[0].image.size == size  # type: ignore[union-attr]


def test_gs_v_0_with_text_in_the_buffer_is_ignored_and_reported() -> None:
    blocks, interpreter = run(b"abc\x1dv0\x00\x01\x00\x01\x00\xff\n")
    assert not any(isinstance(b, Raster) for b in blocks)
    assert "print buffer is not empty" in interpreter.problems[0].note


def test_esc_a_centres_a_raster_image() -> None:
    blocks, _ = run(b"\x1ba\x01\x1dv0\x00\x04\x00\x01\x00\xff\xff\xff\xff")
    assert blocks[0].x == (384 - 32) // 2  # type: ignore[union-attr]


@pytest.mark.parametrize(("m", "size"), [(0, (2, 24)), (1, (1, 24)), (32, (2, 24)), (33, (1, 24))])
def test_esc_star_densities(m: int, size: tuple[int, int]) -> None:
    data = b"\x80" if m < 32 else b"\x80\x00\x01"
    blocks, _ = run(b"\x1b*" + bytes([m]) + b"\x01\x00" + data + b"\n")
    (bitmap,) = blocks[0].items  # type: ignore[union-attr]
    assert isinstance(bitmap, InlineBitmap)
    assert bitmap.image.size == size
    assert black(bitmap.image, 0, 0)
    assert black(bitmap.image, 0, 23) is (m >= 32)  # 8-dot modes: top bit is 3 dots tall
    if m < 32:
        assert [black(bitmap.image, 0, y) for y in range(4)] == [True, True, True, False]


@pytest.mark.parametrize("impl", ["bitImageRaster", "bitImageColumn", "graphics"])
def test_python_escpos_images_come_out_dot_for_dot(impl: str) -> None:
    source = pattern(64, 48)
    printer = Dummy()
    printer.image(source, impl=impl)
    blocks, interpreter = run(printer.output)
    assert interpreter.problems == []
    printed = png(blocks).crop((0, 0, 64, 48))
    assert list(printed.tobytes()) == list(source.tobytes())


# -- QR codes --------------------------------------------------------------------------------------

def native_qr(payload: str, ec: int = QR_ECLEVEL_Q, size: int = 4) -> bytes:
    printer = Dummy()
    printer.qr(payload, ec=ec, size=size, native=True)
    return printer.output


@pytest.mark.parametrize(("ec", "level"), [(QR_ECLEVEL_L, "L"), (QR_ECLEVEL_M, "M"),
                                           (QR_ECLEVEL_Q, "Q"), (QR_ECLEVEL_H, "H")])
def test_native_qr_is_drawn_at_the_commanded_level(ec: int, level: str) -> None:
    blocks, _ = run(native_qr("HC1:6BFOXN*TS0BI$ZD4N9", ec=ec))
    (symbol,) = blocks
    assert isinstance(symbol, QrSymbol)
    assert (symbol.ec, symbol.module, symbol.payload) == (level, 4, b"HC1:6BFOXN*TS0BI$ZD4N9")
    (found,) = zxingcpp.read_barcodes(png(blocks).convert("L"))
    assert (found.text, found.ec_level) == ("HC1:6BFOXN*TS0BI$ZD4N9", level)


@pytest.mark.parametrize("size", [2, 3, 6])
def test_native_qr_module_size_sets_its_width(size: int) -> None:
    blocks, _ = run(native_qr("KIOSK-0001", size=size))
    symbol = blocks[0]
    assert isinstance(symbol, QrSymbol)
    assert symbol.height == len(symbol.matrix) * size
    assert [r.data for r in decode(png(blocks))] == [b"KIOSK-0001"]


def test_native_qr_carries_utf8_chinese_bytes_exactly() -> None:
    blocks, _ = run(native_qr("证明编号：2026-1"))
    assert blocks[0].payload == "证明编号：2026-1".encode()  # type: ignore[union-attr]
    assert zxingcpp.read_barcodes(png(blocks).convert("L"))[0].bytes == blocks[0].payload  # type: ignore[union-attr]


def test_centred_native_qr_is_centred() -> None:
    blocks, _ = run(b"\x1ba\x01" + native_qr("X", size=4))
    symbol = blocks[0]
    assert isinstance(symbol, QrSymbol)
    assert symbol.x == (384 - 21 * 4) // 2


@pytest.mark.parametrize(("data", "note"), [
    (b"\x1d(k\x03\x001Q0", "no stored data"),
    (b"x" + native_qr("A"), "print buffer is not empty"),
    (native_qr("A" * 300, size=16), "dots wide, the printable area 384"),
])
def test_qr_that_a_printer_would_not_print_is_reported(data: bytes, note: str) -> None:
    blocks, interpreter = run(data)
    assert not any(isinstance(b, QrSymbol) for b in blocks)
    assert note in " ".join(p.note for p in interpreter.problems)


def test_other_2d_symbols_are_reported_and_marked() -> None:
    data = b"\x1d(k\x06\x000P0ab\x00" + b"\x1d(k\x03\x000Q0"
    blocks, interpreter = run(data)
    assert isinstance(blocks[0], Placeholder)
    assert "PDF417 is not drawn" in interpreter.problems[0].note


# -- barcodes --------------------------------------------------------------------------------------

def hw_barcode(code: str, bc: str, **kwargs: object) -> bytes:
    printer = Dummy()
    printer.barcode(code, bc, **kwargs)
    return printer.output + b"\n"


@pytest.mark.parametrize(("code", "bc", "function_type", "read"), [
    ("{B12345", "CODE128", "B", "12345"),
    ("{BKIOSK-7", "CODE128", "B", "KIOSK-7"),
    ("4006381333931", "EAN13", "A", "4006381333931"),
    ("4006381333931", "EAN13", "B", "4006381333931"),
    ("1234567", "EAN8", "A", "12345670"),
    ("CODE-39", "CODE39", "A", "CODE-39"),
    ("12345678", "ITF", "A", "12345678"),
])
def test_hardware_barcodes_scan_back(code: str, bc: str, function_type: str, read: str) -> None:
    blocks, interpreter = run(hw_barcode(code, bc, function_type=function_type, width=2))
    barcode = next(b for b in blocks if isinstance(b, Barcode))
    assert barcode.content == read
    assert interpreter.problems == []
    assert [r.text for r in zxingcpp.read_barcodes(png(blocks).convert("L"))] == [read]


def test_code128_code_set_c_packs_two_digits_per_byte() -> None:
    blocks, _ = run(b"\x1dkI\x04{C\x0c\x22\n")
    assert blocks[0].content == "1234"  # type: ignore[union-attr]
    assert [r.data for r in decode(png(blocks))] == [b"1234"]


@pytest.mark.parametrize("module", [2, 3, 4])
def test_gs_w_sets_the_module_width_and_gs_h_the_height(module: int) -> None:
    blocks, _ = run(b"\x1dw" + bytes([module]) + b"\x1dh\x50\x1dH\x00" + b"\x1dkI\x04{B12")
    barcode = blocks[0]
    assert isinstance(barcode, Barcode)
    assert barcode.width == len(barcode.modules) * module
    assert (barcode.bar_height, barcode.height) == (80, 80)


def test_hri_position_and_font() -> None:
    blocks, _ = run(b"\x1dH\x03\x1df\x01\x1dkI\x04{B12")
    barcode = blocks[0]
    assert isinstance(barcode, Barcode)
    assert (barcode.hri, barcode.hri_font) == ("both", 1)
    assert barcode.height == 162 + 2 * (17 + 4)


@pytest.mark.parametrize(("data", "note"), [
    (b"\x1dkI\x0212", "must start with {A, {B or {C"),
    (b"\x1dk\x01012345\x00", "UPC-E is not drawn"),
    (b"x\x1dkI\x04{B12", "print buffer is not empty"),
])
def test_barcode_problems_are_reported(data: bytes, note: str) -> None:
    _, interpreter = run(data)
    assert note in interpreter.problems[0].note


def test_text_lines_around_graphics_keep_their_order() -> None:
    blocks, _ = run(b"top\n" + native_qr("Q") + b"\nbottom\n")
    kinds = [type(b).__name__ for b in blocks]
    assert kinds == ["TextLine", "QrSymbol", "Feed", "TextLine"]
    assert [b.text for b in blocks if isinstance(b, TextLine)] == ["top", "bottom"]
