"""Payload checks, AIM prefixes, the duplicate filter and what a ScannedCode shows."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from devices.errors import DataCorruptedError
from devices.scanner.base import DuplicateFilter
from devices.scanner.events import (
    ScannedCode,
    Symbology,
    check_length,
    check_text,
    is_base45,
    is_base45_token,
    is_printable_ascii,
    split_aim,
    text_of,
)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize("data,size", [(b"", 10), (b"x" * 11, 10)])
def test_check_length_rejects(data: bytes, size: int) -> None:
    with pytest.raises(DataCorruptedError):
        check_length(data, max_length=size)


def test_check_length_accepts_up_to_the_limit() -> None:
    check_length(b"x" * 10, max_length=10)


@pytest.mark.parametrize("text", ["abc\x00", "a\x07b", "\x1b[2J", "del\x7f"])
def test_check_text_rejects_control_characters(text: str) -> None:
    with pytest.raises(DataCorruptedError):
        check_text(text)


@pytest.mark.parametrize("text", ["ZM1:ABC", "中文 slip", "a\tb", "]d2\x1d0101234"])
def test_check_text_accepts_codes(text: str) -> None:
    check_text(text)


@pytest.mark.parametrize("text,token", [
    ("ZM1:6BFOXN*TS0BI$ZD4N9:9S6RCVN5+O30K3", True),
    ("HC1:NCFOXN%TS3DH", True),
    ("ZM1:", False),                 # no body
    ("zm1:ABC", False),              # prefix is upper case
    ("ZM1:abc", False),              # lower case is not base45
    ("ZM1:ABC中", False),
    ("https://example.org/x", False),
])
def test_is_base45_token(text: str, token: bool) -> None:
    assert is_base45_token(text) is token


def test_is_base45_token_with_a_given_prefix() -> None:
    assert is_base45_token("ZM1:ABC", prefix="ZM1:")
    assert not is_base45_token("HC1:ABC", prefix="ZM1:")


def test_printable_ascii_and_base45() -> None:
    assert is_printable_ascii("ZM1:A b~") and not is_printable_ascii("中")
    assert is_base45("AB $%*+-./:09") and not is_base45("ab")


def test_text_of_is_none_for_non_utf8() -> None:
    assert text_of("中".encode()) == "中"
    assert text_of("中".encode("gb18030")) is None


@pytest.mark.parametrize("line,symbology,rest", [
    (b"]Q1ZM1:ABC", Symbology.QR_CODE, b"ZM1:ABC"),
    (b"]C0SLIP-1", Symbology.CODE_128, b"SLIP-1"),
    (b"]E06901234567892", Symbology.EAN_13, b"6901234567892"),
    (b"]E469012341", Symbology.EAN_8, b"69012341"),
    (b"]X0ABC", Symbology.UNKNOWN, b"ABC"),
    (b"NOPREFIX", Symbology.UNKNOWN, b"NOPREFIX"),
])
def test_split_aim(line: bytes, symbology: Symbology, rest: bytes) -> None:
    assert split_aim(line) == (symbology, rest)


def test_duplicate_within_window_is_dropped_then_delivered_after_it() -> None:
    clock = FakeClock()
    seen = DuplicateFilter(2.0, clock)
    assert seen.accept(b"A")
    clock.now += 1.9
    assert not seen.accept(b"A")
    clock.now += 2.0  # away for 2 s since the last sighting
    assert seen.accept(b"A")


def test_a_code_held_in_view_is_delivered_once() -> None:
    clock = FakeClock()
    seen = DuplicateFilter(2.0, clock)
    results = []
    for _ in range(20):  # ten seconds of sightings every half second
        results.append(seen.accept(b"A"))
        clock.now += 0.5
    assert results.count(True) == 1


def test_different_payloads_are_independent_and_reset_forgets() -> None:
    clock = FakeClock()
    seen = DuplicateFilter(2.0, clock)
    assert seen.accept(b"A") and seen.accept(b"B")
    assert not seen.accept(b"A")
    seen.reset()
    assert seen.accept(b"A")


def test_zero_window_delivers_every_read() -> None:
    seen = DuplicateFilter(0.0, FakeClock())
    assert seen.accept(b"A") and seen.accept(b"A")


def test_scanned_code_hides_payload_in_repr_but_not_in_its_event() -> None:
    at = datetime(2026, 1, 2, tzinfo=UTC)
    code = ScannedCode("scanner", Symbology.QR_CODE, b"ZM1:SECRET", "ZM1:SECRET", at)
    assert "SECRET" not in repr(code)
    event = code.as_event()
    assert (event.type, event.component_id, event.at) == ("code_scanned", "scanner", at)
    assert event.data["text"] == "ZM1:SECRET"
    assert bytes.fromhex(code.as_dict()["data_hex"]) == b"ZM1:SECRET"
