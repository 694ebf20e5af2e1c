"""Status: DLE EOT answers decoded bit by bit, mapped to CUSS codes; silence is not "paper OK".

The query logic runs against a scripted link here (the wire is in the integration tests): it
records what was asked and answers from a script, with a clock the test advances.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from devices.model import ComponentState, StatusCode
from devices.printer.status import (
    DLE_EOT,
    GS_R_PAPER,
    JobEnd,
    PrinterStatus,
    decode_status,
    query_status,
    wait_printed,
)

OK = bytes([0x12, 0x12, 0x12, 0x12])


def _with(n: int, bits: int) -> bytes:
    raw = bytearray(OK)
    raw[n - 1] |= bits
    return bytes(raw)


@pytest.mark.parametrize(
    ("raw", "flag"),
    [
        (_with(1, 0x08), "online"),  # inverted: bit set means offline
        (_with(1, 0x20), "waiting_recovery"),
        (_with(2, 0x04), "cover_open"),
        (_with(2, 0x08), "feed_button"),
        (_with(2, 0x20), "paper_end"),  # stopped at paper end
        (_with(2, 0x40), "error"),
        (_with(3, 0x08), "cutter_error"),
        (_with(3, 0x20), "unrecoverable_error"),
        (_with(3, 0x40), "recoverable_error"),
        (_with(4, 0x0C), "paper_near_end"),
        (_with(4, 0x04), "paper_near_end"),  # printers with one near-end sensor set one bit
        (_with(4, 0x60), "paper_end"),
        (_with(4, 0x20), "paper_end"),
    ],
)
def test_each_status_bit_is_decoded(raw: bytes, flag: str) -> None:
    healthy = decode_status(OK)
    status = decode_status(raw)
    assert getattr(status, flag) != getattr(healthy, flag)
    changed = [f for f in vars(status) if f != "raw" and getattr(status, f) != getattr(healthy, f)]
    assert changed == [flag]


@pytest.mark.parametrize(
    ("raw", "state", "code"),
    [
        (OK, ComponentState.READY, StatusCode.OK),
        (_with(4, 0x0C), ComponentState.READY, StatusCode.MEDIA_LOW),
        (_with(4, 0x60), ComponentState.UNAVAILABLE, StatusCode.MEDIA_EMPTY),
        (_with(2, 0x20), ComponentState.UNAVAILABLE, StatusCode.MEDIA_EMPTY),
        (_with(2, 0x04), ComponentState.UNAVAILABLE, StatusCode.COVER_OPEN),
        (_with(3, 0x08), ComponentState.UNAVAILABLE, StatusCode.MEDIA_JAMMED),
        (_with(3, 0x20), ComponentState.UNAVAILABLE, StatusCode.HARDWARE_ERROR),
        (_with(3, 0x40), ComponentState.UNAVAILABLE, StatusCode.HARDWARE_ERROR),
        (_with(2, 0x40), ComponentState.UNAVAILABLE, StatusCode.HARDWARE_ERROR),
        (_with(1, 0x08), ComponentState.UNAVAILABLE, StatusCode.HARDWARE_ERROR),
        (bytes([0x1A, 0x1A, 0x12, 0x12]), ComponentState.BUSY, StatusCode.OK),  # feed button
        # A real paper-out printer: offline, stopped at paper end, both sensors.
        (bytes([0x1A, 0x32, 0x12, 0x7E]), ComponentState.UNAVAILABLE, StatusCode.MEDIA_EMPTY),
        # Cover open usually also trips the paper sensor; the cover is what to tell staff.
        (bytes([0x1A, 0x36, 0x12, 0x72]), ComponentState.UNAVAILABLE, StatusCode.COVER_OPEN),
        (b"", ComponentState.UNAVAILABLE, StatusCode.NOT_RESPONDING),
        (b"\x12\x12", ComponentState.UNAVAILABLE, StatusCode.NOT_RESPONDING),
        (b"\x00\x12\x12\x12", ComponentState.UNAVAILABLE, StatusCode.DATA_CORRUPTED),
        (b"\xff\xff\xff\xff", ComponentState.UNAVAILABLE, StatusCode.DATA_CORRUPTED),
        (b"ABCD", ComponentState.UNAVAILABLE, StatusCode.DATA_CORRUPTED),
    ],
)
def test_status_maps_to_cuss_codes(raw: bytes, state: ComponentState, code: StatusCode) -> None:
    status = decode_status(raw).to_component_status()
    assert (status.state, status.code) == (state, code)
    assert status.usable == (code in (StatusCode.OK, StatusCode.MEDIA_LOW))


def test_one_way_transport_says_status_is_not_readable() -> None:
    status = PrinterStatus.not_readable().to_component_status()
    assert status.code is StatusCode.OK and "not readable" in status.detail


@dataclass
class ScriptedLink:
    """Answers each DLE EOT n from ``answers``; ``stale`` sits unread until drained."""

    answers: dict[int, bytes]
    stale: bytes = b""
    clock: list[float] = field(default_factory=lambda: [0.0])
    log: list[bytes] = field(default_factory=list)
    pending: bytearray = field(default_factory=bytearray)
    waited: float = 0.0

    def now(self) -> float:
        return self.clock[0]

    def write(self, data: bytes) -> None:
        self.log.append(data)
        if data.startswith(DLE_EOT):
            self.pending += self.answers.get(data[2], b"")
        elif data == GS_R_PAPER:
            self.pending += self.answers.get(0x72, b"")

    def read(self, size: int, timeout: float) -> bytes:
        data = bytes((self.stale + self.pending)[:size])
        if not data:
            self.clock[0] += timeout  # nothing came: the whole timeout passed
            self.waited += timeout
            return b""
        self.stale, self.pending = b"", bytearray((self.stale + self.pending)[size:])
        return data

    def drain(self) -> int:
        self.log.append(b"<drain>")
        count, self.stale = len(self.stale), b""
        return count


def _all(byte: int = 0x12) -> dict[int, bytes]:
    return {n: bytes([byte]) for n in (1, 2, 3, 4)}


def test_query_drains_then_asks_each_status_once() -> None:
    link = ScriptedLink({**_all(), 4: b"\x7e"}, stale=b"\x12\x12")
    status = query_status(link, 1.0, clock=link.now)
    assert link.log == [b"<drain>", b"\x10\x04\x01", b"\x10\x04\x02", b"\x10\x04\x03",
                        b"\x10\x04\x04"]
    assert status.paper_end and status.raw == bytes([0x12, 0x12, 0x12, 0x7E])


def test_stale_bytes_are_drained_not_taken_for_the_answer() -> None:
    # A late "paper end" answer left in the buffer must not become the answer to DLE EOT 1.
    link = ScriptedLink(_all(), stale=b"\x7e")
    assert query_status(link, 1.0, clock=link.now).to_component_status().code is StatusCode.OK


def test_silence_is_not_responding_not_paper_ok_and_takes_the_timeout_once() -> None:
    link = ScriptedLink({})
    status = query_status(link, 1.0, clock=link.now)
    assert status.to_component_status().code is StatusCode.NOT_RESPONDING
    assert link.waited == pytest.approx(1.0)
    assert link.log[-1] == b"\x10\x04\x01"  # gave up after the first silent question


def test_partial_answer_is_not_responding() -> None:
    link = ScriptedLink({1: b"\x12", 2: b"\x12"})
    status = query_status(link, 1.0, clock=link.now)
    assert not status.responding and status.raw == b"\x12\x12"


def test_wait_printed_returns_when_gs_r_is_answered() -> None:
    link = ScriptedLink({**_all(), 0x72: b"\x00"})
    assert wait_printed(link, 5.0, clock=link.now) is JobEnd.PRINTED
    assert link.log == [GS_R_PAPER]


def test_wait_printed_polls_and_stops_when_the_printer_goes_offline() -> None:
    link = ScriptedLink({1: b"\x1a"})  # never answers GS r: out of paper, offline
    assert wait_printed(link, 5.0, poll_interval=0.25, clock=link.now) is JobEnd.STOPPED
    assert link.log == [GS_R_PAPER, b"\x10\x04\x01"]
    assert link.waited == pytest.approx(0.25)


def test_wait_printed_keeps_waiting_while_online_then_times_out() -> None:
    link = ScriptedLink({1: b"\x12"})  # online, still printing, never confirms
    assert wait_printed(link, 2.0, poll_interval=0.25, clock=link.now) is JobEnd.TIMEOUT
    assert link.now() == pytest.approx(2.0)
    assert link.log.count(b"\x10\x04\x01") >= 4


def test_gs_r_answer_with_paper_near_end_still_means_printed() -> None:
    link = ScriptedLink({0x72: b"\x03"})  # bit 4 clear: a GS r answer, whatever else it says
    assert wait_printed(link, 1.0, clock=link.now) is JobEnd.PRINTED
