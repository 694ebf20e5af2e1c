"""SerialScanner against the simulated scan engine, over a real pty and over TCP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from devices.errors import DataCorruptedError, DeviceNotReachableError
from devices.model import ComponentState, StatusCode
from devices.scanner.events import Symbology
from devices.scanner.serial_scanner import SerialScanner, Terminator
from devices.sim.faults import UnknownFaultError
from devices.sim.scanner import SimulatedSerialScanner

WAIT = 3.0      # upper bound for a scan to cross the pty or loopback; returns as soon as it does
SILENCE = 0.2   # how long a test waits to conclude nothing came


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(params=["pty", "tcp"])
def sim(request: pytest.FixtureRequest) -> Iterator[SimulatedSerialScanner]:
    with SimulatedSerialScanner(request.param) as engine:
        yield engine


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def scanner(sim: SimulatedSerialScanner, clock: FakeClock) -> Iterator[SerialScanner]:
    with SerialScanner(sim.url, clock=clock, max_length=600) as opened:
        yield opened


@pytest.mark.parametrize("payload", ["ZM1:6BFOXN*TS0BI$ZD4N9:9S6RCVN5+O30K3",
                                     "国籍：中国 张三", "SLIP-000042"])
def test_a_scan_arrives_with_exact_bytes(sim: SimulatedSerialScanner, scanner: SerialScanner,
                                         payload: str) -> None:
    sim.scan(payload)
    code = scanner.read_code(WAIT)
    assert code is not None
    assert (code.data, code.text, code.source_id) == (payload.encode(), payload, "scanner")


@pytest.mark.parametrize("sent,terminator", [
    (b"\r\n", Terminator.CRLF), (b"\n", Terminator.LF), (b"\r", Terminator.CR),
    (b"\r\n", Terminator.ANY), (b"\n", Terminator.ANY), (b"\r", Terminator.ANY),
])
def test_line_terminator_variants(sim: SimulatedSerialScanner, sent: bytes,
                                  terminator: Terminator) -> None:
    with SerialScanner(sim.url, terminator=terminator) as scanner:
        sim.scan("FIRST", terminator=sent)
        sim.scan("SECOND", terminator=sent)
        codes = [scanner.read_code(WAIT), scanner.read_code(WAIT)]
    assert [c.text for c in codes if c] == ["FIRST", "SECOND"]


def test_a_line_split_across_writes_is_one_scan(sim: SimulatedSerialScanner,
                                                scanner: SerialScanner) -> None:
    sim.send_raw(b"ZM1:AB")
    assert scanner.read_code(SILENCE) is None  # half a line is not a scan
    sim.send_raw(b"CD\r\n")
    code = scanner.read_code(WAIT)
    assert code is not None and code.text == "ZM1:ABCD"


def test_garbage_is_data_corrupted_and_clearing_recovers(sim: SimulatedSerialScanner,
                                                         scanner: SerialScanner) -> None:
    sim.inject_fault("garbage")
    sim.scan("ZM1:ABC")
    with pytest.raises(DataCorruptedError):
        scanner.read_code(WAIT)
    assert scanner.status().state is ComponentState.READY  # bad data, not a dead device
    sim.clear_faults()
    sim.scan("ZM1:ABC")
    code = scanner.read_code(WAIT)
    assert code is not None and code.text == "ZM1:ABC"


def test_silence_gives_none_after_the_timeout_then_recovers(sim: SimulatedSerialScanner,
                                                            scanner: SerialScanner) -> None:
    sim.inject_fault("silence")
    sim.scan("ZM1:ABC")
    assert scanner.read_code(SILENCE) is None
    assert sim.describe()["dropped"] == 1
    sim.clear_faults()
    sim.scan("ZM1:ABC")
    assert scanner.read_code(WAIT) is not None


def test_overlong_line_is_rejected_and_the_next_scan_read(sim: SimulatedSerialScanner,
                                                          scanner: SerialScanner) -> None:
    sim.scan("X" * 2000)  # max_length is 600 in this fixture
    with pytest.raises(DataCorruptedError):
        scanner.read_code(WAIT)
    # The refused line's tail may still be arriving; it must not become a scan.
    sim.scan("NEXT")
    code = scanner.read_code(WAIT)
    assert code is not None and code.text == "NEXT"


def test_control_characters_are_data_corrupted(sim: SimulatedSerialScanner,
                                               scanner: SerialScanner) -> None:
    sim.scan(b"ZM1:\x00\x07")
    with pytest.raises(DataCorruptedError):
        scanner.read_code(WAIT)


def test_repeat_within_two_seconds_is_suppressed(sim: SimulatedSerialScanner,
                                                 scanner: SerialScanner,
                                                 clock: FakeClock) -> None:
    sim.scan("ZM1:ABC")
    assert scanner.read_code(WAIT) is not None
    clock.now += 1.0
    sim.scan("ZM1:ABC")
    sim.scan("ZM1:XYZ")  # a different code is never suppressed
    code = scanner.read_code(WAIT)
    assert code is not None and code.text == "ZM1:XYZ"
    clock.now += 2.5
    sim.scan("ZM1:ABC")
    code = scanner.read_code(WAIT)
    assert code is not None and code.text == "ZM1:ABC"


def test_aim_prefix_names_the_symbology(sim: SimulatedSerialScanner) -> None:
    with SerialScanner(sim.url, aim_ids=True) as scanner:
        sim.scan("]Q1ZM1:ABC")
        code = scanner.read_code(WAIT)
    assert code is not None
    assert (code.symbology, code.text) == (Symbology.QR_CODE, "ZM1:ABC")


def test_unplugged_engine_is_not_reachable(sim: SimulatedSerialScanner,
                                           scanner: SerialScanner) -> None:
    sim.stop()
    with pytest.raises(DeviceNotReachableError):
        scanner.read_code(WAIT)
    assert scanner.status().code is StatusCode.NOT_REACHABLE


def test_unknown_fault_is_refused(sim: SimulatedSerialScanner) -> None:
    with pytest.raises(UnknownFaultError):
        sim.inject_fault("paper_out")


def test_a_scan_nobody_is_connected_to_hear_is_lost() -> None:
    with SimulatedSerialScanner("tcp") as sim:
        sim.scan("UNHEARD")
        with SerialScanner(sim.url) as scanner:
            sim.scan("HEARD")
            code = scanner.read_code(WAIT)
        assert sim.describe()["dropped"] == 1
    assert code is not None and code.text == "HEARD"


def test_describe_reports_simulated_and_counters(sim: SimulatedSerialScanner) -> None:
    sim.inject_fault("silence")
    state = sim.describe()
    assert state["simulated"] is True and state["url"] == sim.url
    assert state["faults"] == {"silence": {}}
