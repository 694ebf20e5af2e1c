"""The ESC/POS parser frames every command exactly, whatever the chunk boundaries."""

from __future__ import annotations

import random

import pytest
from escpos.constants import QR_ECLEVEL_Q
from escpos.printer import Dummy
from PIL import Image

from devices.sim.printer.parser import TEXT, UNKNOWN, Command, EscPosParser

GOLDEN: list[tuple[bytes, str, bytes]] = [
    (b"\x1b@", "ESC @", b""),
    (b"\x1b!\x38", "ESC !", b"\x38"),
    (b"\x1bE\x01", "ESC E", b"\x01"),
    (b"\x1b-\x02", "ESC -", b"\x02"),
    (b"\x1ba\x01", "ESC a", b"\x01"),
    (b"\x1d!\x11", "GS !", b"\x11"),
    (b"\x1bM\x01", "ESC M", b"\x01"),
    (b"\x1bt\x10", "ESC t", b"\x10"),
    (b"\x1c&", "FS &", b""),
    (b"\x1c.", "FS .", b""),
    (b"\x1c!\x0c", "FS !", b"\x0c"),
    (b"\x1b2", "ESC 2", b""),
    (b"\x1b3\x10", "ESC 3", b"\x10"),
    (b"\x1bd\x06", "ESC d", b"\x06"),
    (b"\x1bJ\x40", "ESC J", b"\x40"),
    (b"\n", "LF", b""),
    (b"\r", "CR", b""),
    (b"\t", "HT", b""),
    (b"\x1dV\x00", "GS V", b"\x00"),
    (b"\x1dV\x01", "GS V", b"\x01"),
    (b"\x1dV0", "GS V", b"0"),
    (b"\x1dV1", "GS V", b"1"),
    (b"\x1dVA\x10", "GS V", b"A\x10"),
    (b"\x1dVB\x00", "GS V", b"B\x00"),
    (b"\x1dVa\x05", "GS V", b"a\x05"),
    (b"\x1dVh\x05", "GS V", b"h\x05"),
    (b"\x1d(k\x04\x001A2\x00", "GS ( k", b"\x04\x001A2\x00"),
    (b"\x1d(k\x03\x001C\x04", "GS ( k", b"\x03\x001C\x04"),
    (b"\x1d(k\x03\x001E2", "GS ( k", b"\x03\x001E2"),
    (b"\x1d(k\x08\x001P0HELLO", "GS ( k", b"\x08\x001P0HELLO"),
    (b"\x1d(k\x03\x001Q0", "GS ( k", b"\x03\x001Q0"),
    (b"\x1d(k\x06\x000P0ab\x00", "GS ( k", b"\x06\x000P0ab\x00"),  # PDF417 store
    (b"\x1dv0\x00\x02\x00\x02\x00\xff\x00\x0f\xf0", "GS v 0", b"\x00\x02\x00\x02\x00\xff\x00\x0f\xf0"),
    (b"\x1b*\x00\x02\x00\xff\x81", "ESC *", b"\x00\x02\x00\xff\x81"),
    (b"\x1b*\x01\x01\x00\x18", "ESC *", b"\x01\x01\x00\x18"),
    (b"\x1b* \x01\x00\xff\xff\xff", "ESC *", b" \x01\x00\xff\xff\xff"),
    (b"\x1b*!\x01\x00\x01\x02\x03", "ESC *", b"!\x01\x00\x01\x02\x03"),
    (b"\x1dk\x04ABC\x00", "GS k", b"\x04ABC\x00"),
    (b"\x1dkI\x07{B12345", "GS k", b"I\x07{B12345"),
    (b"\x1dh\x40", "GS h", b"\x40"),
    (b"\x1dw\x03", "GS w", b"\x03"),
    (b"\x1dH\x02", "GS H", b"\x02"),
    (b"\x1df\x01", "GS f", b"\x01"),
    (b"\x1dL\x10\x00", "GS L", b"\x10\x00"),
    (b"\x1dW\x80\x01", "GS W", b"\x80\x01"),
    (b"\x1dB\x01", "GS B", b"\x01"),
    (b"\x1b{\x01", "ESC {", b"\x01"),
    (b"\x1bp\x00\x32\x32", "ESC p", b"\x00\x32\x32"),
    (b"\x10\x04\x01", "DLE EOT", b"\x01"),
    (b"\x10\x04\x04", "DLE EOT", b"\x04"),
    (b"\x10\x05\x02", "DLE ENQ", b"\x02"),
    (b"\x10\x14\x01\x00\x05", "DLE DC4", b"\x01\x00\x05"),
    (b"\x10\x14\x08\x01\x03\x14\x01\x06\x02\x08", "DLE DC4", b"\x08\x01\x03\x14\x01\x06\x02\x08"),
    (b"\x1dr\x01", "GS r", b"\x01"),
    (b"\x1dI\x42", "GS I", b"\x42"),
    (b"\x1bD\x08\x10\x00", "ESC D", b"\x08\x10\x00"),
    (b"\x1d(L\x02\x0002", "GS ( L", b"\x02\x0002"),
]


def merged(commands: list[Command]) -> list[tuple[str, int, bytes]]:
    """Join adjacent text runs (chunking may split them) so parses can be compared."""
    out: list[tuple[str, int, bytes]] = []
    for cmd in commands:
        if out and cmd.name == TEXT and out[-1][0] == TEXT:
            name, offset, raw = out.pop()
            out.append((name, offset, raw + cmd.raw))
        else:
            out.append((cmd.name, cmd.offset, cmd.raw))
    return out


def parse_in_chunks(data: bytes, sizes: list[int]) -> list[Command]:
    parser = EscPosParser()
    out: list[Command] = []
    pos = 0
    for size in sizes:
        out += parser.feed(data[pos:pos + size])
        pos += size
    out += parser.feed(data[pos:])
    assert parser.pending == b""
    return out


@pytest.mark.parametrize(("data", "name", "args"), GOLDEN, ids=[g[1] + " " + g[0][1:].hex() for g in GOLDEN])
def test_golden_command_is_framed_exactly(data: bytes, name: str, args: bytes) -> None:
    commands = EscPosParser().feed(data + b"Z")
    assert [(c.name, c.raw, c.args) for c in commands] == [(name, data, args), (TEXT, b"Z", b"Z")]
    assert commands[1].offset == len(data)


@pytest.mark.parametrize(("data", "name", "args"), GOLDEN, ids=[g[1] + " " + g[0][1:].hex() for g in GOLDEN])
def test_golden_command_fed_one_byte_at_a_time(data: bytes, name: str, args: bytes) -> None:
    parser = EscPosParser()
    commands = [cmd for byte in data for cmd in parser.feed(bytes([byte]))]
    assert [(c.name, c.raw) for c in commands] == [(name, data)]


def python_escpos_receipt() -> bytes:
    printer = Dummy()
    printer.hw("INIT")
    printer.set(align="center", bold=True, custom_size=True, width=2, height=2)
    printer._raw(b"\x1c&" + "居住证明，：（）".encode("gb18030") + b"\n\x1c.")
    printer.set(align="left", bold=False, normal_textsize=True)
    printer.text("Serial 2026-000123\n")
    printer.qr("HC1:PAYLOAD", ec=QR_ECLEVEL_Q, size=4, native=True)
    printer.qr("RASTER", ec=QR_ECLEVEL_Q, size=3)
    printer.barcode("{B12345", "CODE128", function_type="B")
    printer.image(Image.new("1", (40, 30)), impl="bitImageColumn")
    printer.cut()
    return printer.output


@pytest.mark.parametrize("seed", range(5))
def test_random_chunking_gives_the_same_commands(seed: int) -> None:
    data = python_escpos_receipt()
    rng = random.Random(seed)
    sizes = [rng.randint(1, 40) for _ in range(len(data))]
    assert merged(parse_in_chunks(data, sizes)) == merged(EscPosParser().feed(data))


def test_byte_at_a_time_gives_the_same_commands() -> None:
    data = python_escpos_receipt()
    assert merged(parse_in_chunks(data, [1] * len(data))) == merged(EscPosParser().feed(data))


def test_offsets_cover_the_stream_without_gaps() -> None:
    data = python_escpos_receipt()
    commands = EscPosParser().feed(data)
    assert b"".join(c.raw for c in commands) == data
    assert [c.offset for c in commands] == [sum(len(p.raw) for p in commands[:i])
                                           for i in range(len(commands))]


@pytest.mark.parametrize(("data", "unknown", "rest"), [
    (b"\x1b\x7fAB", b"\x1b\x7f", [(TEXT, b"AB")]),
    (b"\x1d\x01AB", b"\x1d\x01", [(TEXT, b"AB")]),
    (b"\x1c\x7fAB", b"\x1c\x7f", [(TEXT, b"AB")]),
    (b"\x10\x7fAB", b"\x10\x7f", [(TEXT, b"AB")]),
    (b"\x01AB", b"\x01", [(TEXT, b"AB")]),
    # ESC * with an invalid mode: the printer prints what follows as data.
    (b"\x1b*\x05AB", b"\x1b*\x05", [(TEXT, b"AB")]),
    (b"\x1dV\x07AB", b"\x1dV\x07", [(TEXT, b"AB")]),
    (b"\x1dk\x20AB", b"\x1dk\x20", [(TEXT, b"AB")]),
])
def test_unknown_bytes_are_framed_as_unknown_and_parsing_goes_on(
        data: bytes, unknown: bytes, rest: list[tuple[str, bytes]]) -> None:
    commands = EscPosParser().feed(b"ok" + data)
    assert (commands[1].name, commands[1].raw, commands[1].offset) == (UNKNOWN, unknown, 2)
    assert [(c.name, c.raw) for c in commands[2:]] == rest


def test_incomplete_command_waits_and_is_reported_as_pending() -> None:
    parser = EscPosParser()
    assert [c.name for c in parser.feed(b"hi\x1dv0\x00\x02\x00\x02\x00\xff")] == [TEXT]
    assert parser.pending == b"\x1dv0\x00\x02\x00\x02\x00\xff"
    assert parser.pending_offset == 2
    assert [c.name for c in parser.feed(b"\x00\x0f\xf0")] == ["GS v 0"]
    assert parser.pending == b""


def test_text_run_stops_at_every_control_byte() -> None:
    commands = EscPosParser().feed("一\n".encode("gb18030") + b"a\tb\r")
    assert [(c.name, c.raw) for c in commands] == [
        (TEXT, "一".encode("gb18030")), ("LF", b"\n"), (TEXT, b"a"), ("HT", b"\t"),
        (TEXT, b"b"), ("CR", b"\r")]
