"""Keyboard-wedge key events become lines; without python-evdev the error says what to do."""

from __future__ import annotations

import os
import sys
from types import SimpleNamespace

import pytest

from devices.errors import DataCorruptedError, DeviceNotReachableError
from devices.scanner.hid import EV_KEY, KEY_DOWN, KEY_UP, EvdevScanner, KeystrokeDecoder

SHIFT, ENTER, CAPS = 42, 28, 58
# US-layout key codes for the characters a base45 token uses.
KEYS = {**{c: 30 + i for i, c in enumerate("asdfghjkl")},
        **{c: 16 + i for i, c in enumerate("qwertyuiop")},
        **{c: 44 + i for i, c in enumerate("zxcvbnm")},
        **{c: 2 + i for i, c in enumerate("1234567890")},
        " ": 57, "-": 12, ".": 52, "/": 53}
SHIFTED = {":": ";", "$": "4", "%": "5", "*": "8", "+": "="}
KEYS[";"], KEYS["="] = 39, 13


def type_line(text: str) -> list[tuple[int, int]]:
    """Return the key events a wedge sends to type ``text`` and press Enter."""
    events = []
    for char in text:
        base = SHIFTED.get(char, char.lower())
        shifted = char in SHIFTED or char.isupper()
        code = KEYS[base]
        events += ([(SHIFT, KEY_DOWN)] if shifted else []) + [(code, KEY_DOWN), (code, KEY_UP)]
        events += [(SHIFT, KEY_UP)] if shifted else []
    return [*events, (ENTER, KEY_DOWN), (ENTER, KEY_UP)]


def feed_all(keys: KeystrokeDecoder, events: list[tuple[int, int]]) -> list[str]:
    return [line for code, value in events if (line := keys.feed(code, value)) is not None]


@pytest.mark.parametrize("text", ["ZM1:6BFOXN*TS0BI$ZD4N9:9S6RCVN5+O30K3", "slip-000042",
                                  "A B%C/D.E"])
def test_typed_line_comes_back(text: str) -> None:
    assert feed_all(KeystrokeDecoder(), type_line(text)) == [text]


def test_caps_lock_inverts_letters_only() -> None:
    events = [(CAPS, KEY_DOWN), (CAPS, KEY_UP), *type_line("ab1")]
    assert feed_all(KeystrokeDecoder(), events) == ["AB1"]


def test_empty_enter_is_no_line() -> None:
    assert feed_all(KeystrokeDecoder(), [(ENTER, KEY_DOWN), (ENTER, KEY_UP)]) == []


def test_unknown_key_and_overlong_line_are_corrupt() -> None:
    with pytest.raises(DataCorruptedError):
        KeystrokeDecoder().feed(183, KEY_DOWN)  # KEY_F13
    keys = KeystrokeDecoder(max_length=3)
    with pytest.raises(DataCorruptedError):
        feed_all(keys, type_line("abcd"))


def test_without_evdev_the_error_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "evdev", None)
    with pytest.raises(DeviceNotReachableError, match="pip install evdev"):
        EvdevScanner("/dev/input/event0")


class FakeEvdev:
    """python-evdev's surface the scanner uses: an InputDevice whose fd select() can wait on."""

    def __init__(self, batches: list[list[tuple[int, int]]]) -> None:
        self.batches = batches
        self.read_fd, self.write_fd = os.pipe()
        os.write(self.write_fd, b"x")  # always readable: every select() returns at once

    def InputDevice(self, path: str) -> FakeEvdev:  # python-evdev's name
        return self

    @property
    def fd(self) -> int:
        return self.read_fd

    def grab(self) -> None: ...

    def read(self) -> list[SimpleNamespace]:
        batch = self.batches.pop(0) if self.batches else []
        return [SimpleNamespace(type=EV_KEY, code=code, value=value) for code, value in batch]

    def close(self) -> None:
        os.close(self.read_fd)
        os.close(self.write_fd)


def test_repeats_are_dropped_until_duplicates_are_reset(monkeypatch: pytest.MonkeyPatch) -> None:
    line = type_line("slip-000042")
    monkeypatch.setitem(sys.modules, "evdev", FakeEvdev([line + line, [], line]))  # two codes in one batch
    scanner = EvdevScanner("/dev/input/event0", duplicate_window=60)
    first = scanner.read_code(0.5)
    assert first is not None and first.text == "slip-000042"
    assert scanner.read_code(0) is None  # the repeat typed in the same batch
    scanner.reset_duplicates()
    again = scanner.read_code(0)
    assert again is not None and again.text == "slip-000042"
    assert scanner.status().state.name == "READY"
    scanner.close()
