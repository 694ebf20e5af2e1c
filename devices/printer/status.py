"""Real-time printer status: DLE EOT 1-4 asked, answered, decoded, and mapped to CUSS codes.

Each DLE EOT n is answered with one byte whose fixed bits are 0xx1xx10 (bit 4 and bit 1 set,
bits 0 and 7 clear):

    n=1 printer status   bit 3 offline, bit 5 waiting for online recovery, bit 6 feed button
    n=2 offline cause    bit 2 cover open, bit 3 paper fed by the button, bit 5 stopped at
                         paper end, bit 6 error occurred
    n=3 error cause      bit 3 autocutter error (usually a jam), bit 5 unrecoverable error,
                         bit 6 automatically recoverable error (e.g. print head too hot)
    n=4 paper sensors    bits 2-3 paper near its end, bits 5-6 paper end

Silence is never "paper OK" (python-escpos's ``paper_status()`` returns 2 when the printer says
nothing): no answer within the deadline is NOT_RESPONDING. Bytes nobody read (a late answer,
automatic status back, a DLE EOT that happened to sit inside image data) are drained before
asking, or they would be taken for the answer.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

from devices.model import ComponentState, ComponentStatus, StatusCode

DLE_EOT = b"\x10\x04"
# GS r 1 (transmit paper sensor status) is executed in order with the data, after everything
# sent before it has been printed, so its answer marks the end of a job.
GS_R_PAPER = b"\x1dr\x01"
FIXED_MASK, FIXED_BITS = 0x93, 0x12
REALTIME_MARK = 0x10  # set in every DLE EOT answer, clear in every GS r answer


class Link(Protocol):
    """The readable side of a printer connection (TCP, serial or USB)."""

    def write(self, data: bytes) -> None: ...

    def read(self, size: int, timeout: float) -> bytes:
        """Return up to ``size`` bytes, or b"" when nothing came within ``timeout`` seconds."""
        ...

    def drain(self) -> int:
        """Discard bytes waiting to be read; return how many there were."""
        ...


@dataclass(frozen=True)
class PrinterStatus:
    """What the printer said about itself (or that it could not be asked or did not answer)."""

    readable: bool = True
    responding: bool = True
    corrupted: bool = False
    online: bool = True
    waiting_recovery: bool = False
    feed_button: bool = False
    cover_open: bool = False
    paper_near_end: bool = False
    paper_end: bool = False
    error: bool = False
    cutter_error: bool = False
    unrecoverable_error: bool = False
    recoverable_error: bool = False
    raw: bytes = b""

    @classmethod
    def not_readable(cls) -> PrinterStatus:
        """Status of a one-way transport (file://): it cannot be asked."""
        return cls(readable=False)

    @classmethod
    def not_responding(cls, raw: bytes = b"") -> PrinterStatus:
        return cls(responding=False, raw=raw)

    def to_component_status(self) -> ComponentStatus:
        """Map to the CUSS state and status code; the most urgent cause wins."""
        for condition, code, detail in self._faults():
            if condition:
                return ComponentStatus.unavailable(code, detail)
        if not self.online and self.feed_button:
            return ComponentStatus(ComponentState.BUSY, StatusCode.OK, "paper fed by the button")
        if not self.online:
            return ComponentStatus.unavailable(StatusCode.HARDWARE_ERROR, "printer offline")
        if self.paper_near_end:
            return ComponentStatus(ComponentState.READY, StatusCode.MEDIA_LOW, "paper near its end")
        if not self.readable:
            return ComponentStatus.ready("status not readable: one-way transport")
        return ComponentStatus.ready()

    def _faults(self) -> list[tuple[bool, StatusCode, str]]:
        raw = self.raw.hex(" ")
        return [
            (not self.responding, StatusCode.NOT_RESPONDING,
             f"no answer to DLE EOT (got {len(self.raw)} of 4 bytes)"),
            (self.corrupted, StatusCode.DATA_CORRUPTED, f"status bytes not ESC/POS: {raw}"),
            (self.cover_open, StatusCode.COVER_OPEN, "cover open"),
            (self.paper_end, StatusCode.MEDIA_EMPTY, "out of paper"),
            (self.cutter_error, StatusCode.MEDIA_JAMMED, "autocutter error (paper jam?)"),
            (self.unrecoverable_error, StatusCode.HARDWARE_ERROR, "unrecoverable error"),
            (self.recoverable_error, StatusCode.HARDWARE_ERROR,
             "automatically recoverable error (print head too hot?)"),
            (self.error, StatusCode.HARDWARE_ERROR, "error reported, cause unknown"),
        ]


def decode_status(raw: bytes) -> PrinterStatus:
    """Decode the four answers to DLE EOT 1, 2, 3, 4 (in that order)."""
    if len(raw) < 4:
        return PrinterStatus.not_responding(raw)
    if any(b & FIXED_MASK != FIXED_BITS for b in raw[:4]):
        return PrinterStatus(corrupted=True, raw=raw)
    printer, offline, error, paper = raw[:4]
    return PrinterStatus(
        online=not printer & 0x08,
        waiting_recovery=bool(printer & 0x20),
        feed_button=bool(offline & 0x08),
        cover_open=bool(offline & 0x04),
        paper_end=bool(paper & 0x60) or bool(offline & 0x20),
        paper_near_end=bool(paper & 0x0C),
        error=bool(offline & 0x40),
        cutter_error=bool(error & 0x08),
        unrecoverable_error=bool(error & 0x20),
        recoverable_error=bool(error & 0x40),
        raw=bytes(raw[:4]),
    )


def query_status(
    link: Link, timeout: float, *, clock: Callable[[], float] = time.monotonic
) -> PrinterStatus:
    """Drain stale bytes, ask DLE EOT 1-4 one by one, all within ``timeout`` seconds."""
    deadline = clock() + timeout
    link.drain()
    answers = bytearray()
    for n in (1, 2, 3, 4):
        link.write(DLE_EOT + bytes((n,)))
        remaining = deadline - clock()
        answer = link.read(1, remaining) if remaining > 0 else b""
        if not answer:
            return PrinterStatus.not_responding(bytes(answers))
        answers += answer
    return decode_status(bytes(answers))


class JobEnd(Enum):
    PRINTED = "printed"  # GS r 1 answered: everything before it has been printed
    STOPPED = "stopped"  # the printer went offline before reaching the end (paper, cover…)
    TIMEOUT = "timeout"  # neither within the deadline


def wait_printed(
    link: Link,
    timeout: float,
    *,
    poll_interval: float = 0.25,
    clock: Callable[[], float] = time.monotonic,
) -> JobEnd:
    """Wait until the printer has printed everything sent so far, or has stopped.

    A printer that runs out of paper mid-job goes offline and never answers GS r, so while
    waiting it is asked DLE EOT 1 (answered in real time) and an offline answer ends the wait.
    The two kinds of answer are told apart by bit 4, set only in real-time answers.
    """
    deadline = clock() + timeout
    link.write(GS_R_PAPER)
    while (remaining := deadline - clock()) > 0:
        answer = link.read(1, min(poll_interval, remaining))
        if not answer:
            link.write(DLE_EOT + b"\x01")
        elif not answer[0] & REALTIME_MARK:
            return JobEnd.PRINTED
        elif answer[0] & 0x08:
            return JobEnd.STOPPED
    return JobEnd.TIMEOUT
