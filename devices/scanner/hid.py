"""HID keyboard-wedge scanners read through evdev (``evdev:///dev/input/by-id/…-event-kbd``).

A keyboard wedge "types" each code followed by Enter. Reading it through evdev, with the
device grabbed, keeps those keystrokes out of the kiosk UI. It can only type what a US
keyboard can: printable ASCII, enough for base45 tokens and slip numbers, never Chinese; use
a serial (USB CDC) engine or the camera for UTF-8 codes. python-evdev is optional: without it
``EvdevScanner`` raises DeviceNotReachableError saying what to install.
"""

from __future__ import annotations

import select
import time
from collections import deque
from typing import Any

from devices.errors import DataCorruptedError, DeviceNotReachableError
from devices.model import ComponentInfo, ComponentKind

from .base import DEFAULT_DUPLICATE_WINDOW, Clock, ScannerBase
from .events import MAX_PAYLOAD_BYTES, ScannedCode, Symbology

EV_KEY = 1
KEY_UP, KEY_DOWN, KEY_REPEAT = 0, 1, 2
_SHIFTS = frozenset({42, 54})  # KEY_LEFTSHIFT, KEY_RIGHTSHIFT
_CAPSLOCK = 58
_ENTERS = frozenset({28, 96})  # KEY_ENTER, KEY_KPENTER

# Linux key codes (input-event-codes.h) -> (unshifted, shifted) on a US layout.
_US_ROWS: dict[int, str] = {2: "1234567890-=", 16: "qwertyuiop[]", 30: "asdfghjkl;'`",
                            43: "\\zxcvbnm,./"}
_US_SHIFTED: dict[int, str] = {2: "!@#$%^&*()_+", 16: "QWERTYUIOP{}", 30: 'ASDFGHJKL:"~',
                               43: "|ZXCVBNM<>?"}
_KEYPAD: dict[int, str] = {55: "*", 71: "7", 72: "8", 73: "9", 74: "-", 75: "4", 76: "5",
                           77: "6", 78: "+", 79: "1", 80: "2", 81: "3", 82: "0", 83: ".",
                           98: "/"}


def _keymap() -> dict[int, tuple[str, str]]:
    keys: dict[int, tuple[str, str]] = {57: (" ", " "), 15: ("\t", "\t")}
    for first, row in _US_ROWS.items():
        for offset, (plain, shifted) in enumerate(zip(row, _US_SHIFTED[first], strict=True)):
            keys[first + offset] = (plain, shifted)
    keys.update({code: (char, char) for code, char in _KEYPAD.items()})
    return keys


US_KEYMAP = _keymap()


class KeystrokeDecoder:
    """Turn key events into lines of text, one line per Enter."""

    def __init__(self, max_length: int = MAX_PAYLOAD_BYTES) -> None:
        self.max_length = max_length
        self._chars: list[str] = []
        self._shift: set[int] = set()
        self._caps = False

    def feed(self, code: int, value: int) -> str | None:
        """Take one key event (value 1 down, 0 up, 2 repeat); return a line when Enter comes."""
        if code in _SHIFTS:
            (self._shift.add if value != KEY_UP else self._shift.discard)(code)
            return None
        if value == KEY_UP:
            return None
        if code == _CAPSLOCK:
            self._caps = not self._caps
        elif code in _ENTERS:
            return self._finish()
        elif code in US_KEYMAP:
            self._type(US_KEYMAP[code])
        else:
            self._chars.clear()
            raise DataCorruptedError(f"keyboard scanner sent key code {code} no code types")
        return None

    def _type(self, pair: tuple[str, str]) -> None:
        plain, shifted = pair
        upper = bool(self._shift) != (self._caps and plain.isalpha())
        self._chars.append(shifted if upper else plain)
        if len(self._chars) > self.max_length:
            self._chars.clear()
            raise DataCorruptedError(f"keyboard scan longer than {self.max_length} characters")

    def _finish(self) -> str | None:
        line, self._chars = "".join(self._chars), []
        return line or None


class EvdevScanner(ScannerBase):
    """A keyboard-wedge scanner read from its evdev node, grabbed away from the desktop."""

    def __init__(self, path: str, *, source_id: str = "scanner", grab: bool = True,
                 duplicate_window: float = DEFAULT_DUPLICATE_WINDOW,
                 clock: Clock = time.monotonic, max_length: int = MAX_PAYLOAD_BYTES) -> None:
        super().__init__(ComponentInfo(source_id, ComponentKind.BARCODE_SCANNER, f"evdev://{path}",
                                       False, {"interface": "hid-keyboard"}),
                         duplicate_window=duplicate_window, clock=clock)
        self._device = _open_evdev(path, grab)
        self._keys = KeystrokeDecoder(max_length)
        self._events: deque[tuple[int, int]] = deque()  # key events read, not yet decoded

    def close(self) -> None:
        """Release the grab and close the device node."""
        self._device.close()

    def _receive(self, timeout: float) -> None:
        with self._device_io():
            try:
                ready, _, _ = select.select([self._device.fd], [], [], timeout)
                events = list(self._device.read()) if ready else []
            except OSError as err:
                raise DeviceNotReachableError(f"{self.info.url}: {err}") from err
        self._events.extend((e.code, e.value) for e in events if e.type == EV_KEY)

    def _buffered_code(self) -> ScannedCode | None:
        while self._events:
            line = self._keys.feed(*self._events.popleft())
            if line is not None and self._is_new(line.encode("ascii")):
                return ScannedCode(self.info.id, Symbology.UNKNOWN, line.encode("ascii"), line)
        return None


def _open_evdev(path: str, grab: bool) -> Any:
    try:
        import evdev  # type: ignore[import-not-found,unused-ignore]
    except ImportError as err:
        raise DeviceNotReachableError("reading a keyboard-wedge scanner needs python-evdev: "
                                      "pip install evdev (or use the serial/USB CDC mode)") from err
    try:
        device = evdev.InputDevice(path)
        if grab:
            device.grab()  # otherwise every scan is also typed into the kiosk UI
    except OSError as err:
        raise DeviceNotReachableError(f"keyboard scanner {path}: {err}") from err
    return device
