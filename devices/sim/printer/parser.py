"""An incremental ESC/POS parser: bytes in, commands out, safe across any chunk boundary.

The parser only frames the stream (where each command starts and ends); what a command means is
the interpreter's business. Bytes it cannot frame are returned as ``UNKNOWN`` commands so the job
record can report them: a real printer would print the bytes after an unknown prefix as text, and
so does the simulator.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

ESC, GS, FS, DLE = 0x1B, 0x1D, 0x1C, 0x10
TEXT = "TEXT"
UNKNOWN = "UNKNOWN"
PREFIX_NAMES = {ESC: "ESC", GS: "GS", FS: "FS", DLE: "DLE"}
SINGLE_BYTE = {0x0A: "LF", 0x0D: "CR", 0x09: "HT", 0x0C: "FF", 0x00: "NUL", 0x18: "CAN",
               0x07: "BEL"}
DLE_NAMES = {0x04: "EOT", 0x05: "ENQ", 0x14: "DC4"}
# A NUL-terminated argument longer than this is a broken command, not a long one.
MAX_TERMINATED = 300
_CONTROL = re.compile(rb"[\x00-\x1f]")

# Length rule: given the buffer (starting at the command's first byte), return the command's
# total length, or None when more bytes are needed to know it. A negative length -n means the
# first n bytes are not a valid command (a real printer then treats what follows as data).
Rule = Callable[[bytes | bytearray], int | None]


@dataclass(frozen=True)
class Command:
    """One framed piece of the stream: a command, a run of text, or unknown bytes."""

    name: str  # "TEXT", "LF", "ESC !", "GS ( k", "DLE EOT", "UNKNOWN", ...
    offset: int  # position of the first byte in the connection's stream
    raw: bytes

    @property
    def args(self) -> bytes:
        """Return the bytes after the command's name (parameters and data)."""
        return self.raw[_head_length(self.name):]


def _head_length(name: str) -> int:
    if name in (TEXT, UNKNOWN):
        return 0
    if name in SINGLE_BYTE.values():
        return 1
    return 3 if name.count(" ") >= 2 else 2


def fixed(n: int) -> Rule:
    """Return a rule for a two-byte command followed by n parameter bytes."""
    return lambda buf: 2 + n


def _bit_image(buf: bytes | bytearray) -> int | None:  # ESC * m nL nH d...
    if len(buf) < 5:
        return None
    if buf[2] not in (0, 1, 32, 33):
        return -3
    columns = buf[3] + buf[4] * 256
    return 5 + columns * (3 if buf[2] in (32, 33) else 1)


def _raster(buf: bytes | bytearray) -> int | None:  # GS v 0 m xL xH yL yH d...
    if len(buf) < 8:
        return None
    return 8 + (buf[4] + buf[5] * 256) * (buf[6] + buf[7] * 256)


def _terminated(start: int) -> Rule:
    def rule(buf: bytes | bytearray) -> int | None:
        end = bytes(buf[start:start + MAX_TERMINATED]).find(b"\x00")
        if end >= 0:
            return start + end + 1
        return start + MAX_TERMINATED if len(buf) >= start + MAX_TERMINATED else None

    return rule


def _barcode(buf: bytes | bytearray) -> int | None:  # GS k m d... NUL  |  GS k m n d1..dn
    if len(buf) < 3:
        return None
    if buf[2] <= 6:
        return _terminated(3)(buf)
    if not 65 <= buf[2] <= 78:
        return -3
    if len(buf) < 4:
        return None
    return 4 + buf[3]


def _cut(buf: bytes | bytearray) -> int | None:  # GS V m [n]
    if len(buf) < 3:
        return None
    if buf[2] in (0, 1, 48, 49):
        return 3
    return 4 if buf[2] in (65, 66, 97, 98, 103, 104) else -3


def _block(buf: bytes | bytearray) -> int | None:  # ESC|GS|FS ( fn pL pH ...
    if len(buf) < 5:
        return None
    return 5 + buf[3] + buf[4] * 256


def _large_block(buf: bytes | bytearray) -> int | None:  # GS 8 L p1 p2 p3 p4 ...
    if len(buf) < 7:
        return None
    return 7 + int.from_bytes(buf[3:7], "little")


def _user_chars(buf: bytes | bytearray) -> int | None:  # ESC & y c1 c2 [x d1..d(y*x)]...
    if len(buf) < 5:
        return None
    pos, height = 5, buf[2]
    for _ in range(max(0, buf[4] - buf[3] + 1)):
        if len(buf) <= pos:
            return None
        pos += 1 + height * buf[pos]
    return pos


def _dle_eot(buf: bytes | bytearray) -> int | None:  # DLE EOT n [a]
    if len(buf) < 3:
        return None
    return 4 if buf[2] in (7, 8) else 3


def _dle_dc4(buf: bytes | bytearray) -> int | None:  # DLE DC4 fn ...
    if len(buf) < 3:
        return None
    return {1: 5, 2: 5, 3: 5, 7: 4, 8: 10}.get(buf[2], 3)


def _download_image(buf: bytes | bytearray) -> int | None:  # GS * x y d1..d(x*y*8)
    if len(buf) < 4:
        return None
    return 4 + buf[2] * buf[3] * 8


RULES: dict[int, dict[int, Rule]] = {
    ESC: {
        **{ord(c): fixed(0) for c in "@2LSim<"},
        **{ord(c): fixed(1) for c in "!-EGMJadt3{=?%RrUVT+A "},
        **{ord(c): fixed(2) for c in "$\\B"},
        ord("p"): fixed(3),
        ord("W"): fixed(8),
        ord("*"): _bit_image,
        ord("D"): _terminated(2),
        ord("&"): _user_chars,
        ord("("): _block,
    },
    GS: {
        **{ord(c): fixed(1) for c in "!BHIabfhrwT|E/:"},
        **{ord(c): fixed(2) for c in "LPW$\\"},
        ord("^"): fixed(3),
        ord("V"): _cut,
        ord("k"): _barcode,
        ord("("): _block,
        ord("*"): _download_image,
    },
    FS: {
        **{ord(c): fixed(0) for c in "&."},
        **{ord(c): fixed(1) for c in "!-CW"},
        **{ord(c): fixed(2) for c in "Sp"},
        ord("2"): fixed(2 + 72),
        ord("("): _block,
    },
    DLE: {0x04: _dle_eot, 0x05: fixed(1), 0x14: _dle_dc4},
}
# ESC c takes two bytes after 'c': ESC c 3 n, ESC c 4 n, ESC c 5 n (panel buttons), ...
RULES[ESC][ord("c")] = fixed(2)


def _special(buf: bytes | bytearray) -> tuple[str, int | None] | None:
    """Frame the commands whose name has three parts (GS v 0, GS 8 L)."""
    if buf[0] != GS or buf[1] not in (ord("v"), ord("8")):
        return None
    if len(buf) < 3:
        return "", None
    if buf[1] == ord("v") and buf[2] == ord("0"):
        return "GS v 0", _raster(buf)
    if buf[1] == ord("8") and buf[2] == ord("L"):
        return "GS 8 L", _large_block(buf)
    return UNKNOWN, -2


def command_name(buf: bytes | bytearray) -> str:
    """Return the display name of a framed command starting at buf[0]."""
    prefix = PREFIX_NAMES[buf[0]]
    if buf[0] == DLE:
        return f"DLE {DLE_NAMES[buf[1]]}"
    second = "SP" if buf[1] == 0x20 else chr(buf[1]) if buf[1] < 0x7F else f"0x{buf[1]:02X}"
    if second == "(":
        return f"{prefix} ( {chr(buf[2]) if 0x20 <= buf[2] < 0x7F else hex(buf[2])}"
    return f"{prefix} {second}"


class EscPosParser:
    """Turn a byte stream into commands; feed it chunks of any size, even one byte at a time."""

    def __init__(self) -> None:
        self._buf = bytearray()
        self._offset = 0  # stream offset of _buf[0]

    @property
    def pending(self) -> bytes:
        """Return the bytes of an unfinished command (non-empty when the stream stops mid-command)."""
        return bytes(self._buf)

    @property
    def pending_offset(self) -> int:
        return self._offset

    def feed(self, data: bytes) -> list[Command]:
        """Add bytes and return every command they complete."""
        self._buf += data
        out: list[Command] = []
        while self._buf:
            framed = self._frame()
            if framed is None:
                break
            name, length = framed
            out.append(Command(name, self._offset, bytes(self._buf[:length])))
            del self._buf[:length]
            self._offset += length
        return out

    def _frame(self) -> tuple[str, int] | None:
        buf = self._buf
        first = buf[0]
        if first >= 0x20:
            match = _CONTROL.search(buf)
            return TEXT, match.start() if match else len(buf)
        if first in SINGLE_BYTE:
            return SINGLE_BYTE[first], 1
        if first not in RULES:
            return UNKNOWN, 1
        if len(buf) < 2:
            return None
        return self._frame_prefixed(buf)

    def _frame_prefixed(self, buf: bytearray) -> tuple[str, int] | None:
        special = _special(buf)
        if special is not None:
            name, length = special
        else:
            rule = RULES[buf[0]].get(buf[1])
            if rule is None:
                return UNKNOWN, 2
            if buf[1] == ord("(") and len(buf) < 3:
                return None
            name, length = "", rule(buf)
        if length is None or len(buf) < abs(length):
            return None
        if length < 0 or name == UNKNOWN:
            return UNKNOWN, abs(length)
        return name or command_name(buf), length
