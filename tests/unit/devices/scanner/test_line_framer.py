"""How a byte stream from a scan engine is cut into lines."""

from __future__ import annotations

import pytest

from devices.errors import DataCorruptedError
from devices.scanner.factory import OWN_OPTIONS, scanner_options
from devices.scanner.serial_scanner import LineFramer, Terminator
from devices.urls import parse_device_url, pyserial_port


def lines(framer: LineFramer, *chunks: bytes) -> list[bytes]:
    out = []
    for chunk in chunks:
        framer.feed(chunk)
        while (line := framer.next_line()) is not None:
            out.append(line)
    return out


@pytest.mark.parametrize("terminator,stream,expected", [
    (Terminator.CR, [b"A1\rB2\r"], [b"A1", b"B2"]),
    (Terminator.LF, [b"A1\nB2\n"], [b"A1", b"B2"]),
    (Terminator.CRLF, [b"A1\r\nB2\r\n"], [b"A1", b"B2"]),
    (Terminator.ANY, [b"A1\rB2\nC3\r\n"], [b"A1", b"B2", b"C3"]),
    (Terminator.ANY, [b"A1\r", b"\nB2\r", b"\n"], [b"A1", b"B2"]),   # CR LF split across reads
    (Terminator.ANY, [b"\r\n\r\nA1\n\n"], [b"A1"]),                  # empty lines are skipped
    (Terminator.CRLF, [b"A", b"1\r", b"\n"], [b"A1"]),
    (Terminator.CRLF, [b"A1\r"], []),                                # not finished yet
    (Terminator.LF, [b"A1\r"], []),
])
def test_lines_by_terminator(terminator: Terminator, stream: list[bytes],
                             expected: list[bytes]) -> None:
    assert lines(LineFramer(terminator), *stream) == expected


def test_complete_overlong_line_is_refused_and_the_next_one_read() -> None:
    framer = LineFramer(Terminator.LF, max_length=8)
    framer.feed(b"123456789\nOK\n")
    with pytest.raises(DataCorruptedError):
        framer.next_line()
    assert framer.next_line() == b"OK"


def test_unfinished_overlong_line_is_refused_early_and_its_tail_dropped() -> None:
    framer = LineFramer(Terminator.CR, max_length=8)
    framer.feed(b"0123456789")
    with pytest.raises(DataCorruptedError):
        framer.next_line()
    assert lines(framer, b"more noise", b" end\rNEXT\r") == [b"NEXT"]


def test_clear_drops_a_partial_line() -> None:
    framer = LineFramer()
    framer.feed(b"half")
    framer.clear()
    assert lines(framer, b"WHOLE\r") == [b"WHOLE"]


@pytest.mark.parametrize("url,port_url,options", [
    ("/dev/ttyACM0", "/dev/ttyACM0", {}),
    ("serial:///dev/ttyUSB0?baudrate=115200&terminator=cr", "/dev/ttyUSB0",
     {"baudrate": "115200", "terminator": "cr"}),
    ("socket://127.0.0.1:7000?terminator=crlf&logging=debug", "socket://127.0.0.1:7000?logging=debug",
     {"terminator": "crlf"}),
    ("loop://?aim=1", "loop://", {"aim": "1"}),
])
def test_scanner_options_are_split_from_the_pyserial_url(url: str, port_url: str,
                                                          options: dict[str, str]) -> None:
    parsed = parse_device_url(url)
    assert (pyserial_port(parsed, keep=OWN_OPTIONS), scanner_options(parsed)) == (port_url, options)
