"""Real-time status replies (DLE EOT n, GS r n, GS I n), encoded as Epson printers encode them.

DLE EOT replies always have bits 1 and 4 set (0x12). python-escpos decodes DLE EOT 4 with masks
0x72 (paper end), 0x1E (near end) and 0x12 (adequate), which these bytes satisfy.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

DLE_EOT_FIXED = 0x12


class Paper(StrEnum):
    OK = "ok"
    NEAR_END = "near_end"
    OUT = "out"


@dataclass(frozen=True)
class Condition:
    """What the printer's sensors say at one instant."""

    paper: Paper = Paper.OK
    cover_open: bool = False
    jammed: bool = False

    @property
    def offline(self) -> bool:
        """Return True when the printer has stopped (cover, paper end or error)."""
        return self.cover_open or self.jammed or self.paper is Paper.OUT


def printer_status(c: Condition) -> int:
    """DLE EOT 1: bit 3 = offline."""
    return DLE_EOT_FIXED | (0x08 if c.offline else 0)


def offline_cause(c: Condition) -> int:
    """DLE EOT 2: bit 2 = cover open, bit 5 = stopped at paper end, bit 6 = error."""
    return (DLE_EOT_FIXED | (0x04 if c.cover_open else 0)
            | (0x20 if c.paper is Paper.OUT else 0) | (0x40 if c.jammed else 0))


def error_cause(c: Condition) -> int:
    """DLE EOT 3: bit 3 = autocutter error (a jam at the cutter, recoverable by DLE ENQ)."""
    return DLE_EOT_FIXED | (0x08 if c.jammed else 0)


def roll_paper(c: Condition) -> int:
    """DLE EOT 4: bits 2-3 = near end, bits 5-6 = end (an empty roll also trips near-end)."""
    near = 0x0C if c.paper is not Paper.OK else 0
    return DLE_EOT_FIXED | near | (0x60 if c.paper is Paper.OUT else 0)


def paper_sensor(c: Condition) -> int:
    """GS r 1: bits 0-1 = near end, bits 2-3 = end."""
    near = 0x03 if c.paper is not Paper.OK else 0
    return near | (0x0C if c.paper is Paper.OUT else 0)


DLE_EOT = {1: printer_status, 2: offline_cause, 3: error_cause, 4: roll_paper}
PRINTER_INFO = {65: "1.00 SIM", 66: "KIOSK", 67: "SIM-58", 68: "SIM0001", 69: "CHINA GB18030"}


def reply(name: str, args: bytes, c: Condition) -> bytes | None:
    """Return the bytes a printer sends back for a real-time or info command, or None."""
    if name == "DLE EOT" and args and args[0] in DLE_EOT:
        return bytes([DLE_EOT[args[0]](c)])
    if name == "GS r" and args:
        return _transmit_status(args[0], c)
    if name == "GS I" and args:
        return _printer_id(args[0])
    return None


def _transmit_status(n: int, c: Condition) -> bytes | None:
    if n in (1, 49):
        return bytes([paper_sensor(c)])
    if n in (2, 50):
        return b"\x00"  # drawer kick-out connector pin 3: low
    return None


def _printer_id(n: int) -> bytes | None:
    if n in (1, 49):
        return b"\x20"  # model ID
    if n in (2, 50):
        return b"\x03"  # type ID: multi-byte characters, autocutter
    if n in (3, 51):
        return b"\x10"  # ROM version ID
    if n in PRINTER_INFO:
        return b"_" + PRINTER_INFO[n].encode("ascii") + b"\x00"
    return None
