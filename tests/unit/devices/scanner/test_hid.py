"""Keyboard-wedge key events become lines; without python-evdev the error says what to do."""

from __future__ import annotations

import sys

import pytest

from devices.errors import DataCorruptedError, DeviceNotReachableError
from devices.scanner.hid import KEY_DOWN, KEY_UP, EvdevScanner, KeystrokeDecoder

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
