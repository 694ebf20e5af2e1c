"""The real driver against the simulated reader over a real pty and over TCP on loopback."""

from __future__ import annotations

import os
import socket
import threading
import time
import tty
from datetime import date

import pytest

from devices.errors import (
    DataCorruptedError,
    DeviceError,
    DeviceNotReachableError,
    DeviceTimeoutError,
)
from devices.idcard.errors import (
    CardExpiredError,
    CardRemovedError,
    IdCardError,
    InvalidIdNumberError,
    ReaderChecksumError,
    ReaderGarbageError,
    ReaderNotReachableError,
    ReaderTimeoutError,
)
from devices.idcard.protocol import Reply, Sw3, wire_seconds
from devices.idcard.reader import IdCardReader
from devices.model import ComponentState, StatusCode
from devices.sim.idcard import SimulatedIdCardReader
from support.demo_cards import demo_card

from .conftest import TIMEOUT, TODAY, clock


def test_no_card_reads_as_none(reader: IdCardReader) -> None:
    assert reader.read_card() is None
    assert not reader.find_card()
    status = reader.status()
    assert (status.state, status.code, status.detail) == (
        ComponentState.READY, StatusCode.OK, "no card")


@pytest.mark.parametrize("who", ["张三", "赵六", "陈十三"])
def test_demo_card_reads_with_every_field(idcard_sim: SimulatedIdCardReader,
                                          reader: IdCardReader, who: str) -> None:
    expected = demo_card(who, today=TODAY)
    idcard_sim.insert_card(expected)
    card = reader.read_card()
    assert card == expected
    assert card is not None and card.photo == expected.photo
    assert reader.status().detail == "card present"
    idcard_sim.remove_card()
    assert reader.read_card() is None


FAULTS = [
    # fault, params, error class, device error it is, reason, status code of the reader after
    ("card_removed", {}, CardRemovedError, IdCardError, "card_removed", StatusCode.OK),
    ("card_removed", {"at": "select"}, CardRemovedError, IdCardError, "card_removed",
     StatusCode.OK),
    ("checksum_error", {}, ReaderChecksumError, DataCorruptedError, "checksum",
     StatusCode.DATA_CORRUPTED),
    ("garbage", {}, ReaderGarbageError, DataCorruptedError, "garbage",
     StatusCode.DATA_CORRUPTED),
    ("silence", {}, ReaderTimeoutError, DeviceTimeoutError, "timeout", StatusCode.TIMEOUT),
    ("expired_card", {}, CardExpiredError, IdCardError, "expired", StatusCode.OK),
    ("invalid_number", {}, InvalidIdNumberError, IdCardError, "invalid_number", StatusCode.OK),
]


@pytest.mark.parametrize(("fault", "params", "error", "base", "reason", "code"), FAULTS)
def test_each_fault_raises_its_error_and_clearing_it_recovers(
    idcard_sim: SimulatedIdCardReader, reader: IdCardReader, fault: str,
    params: dict[str, object], error: type[DeviceError], base: type[DeviceError], reason: str,
    code: StatusCode,
) -> None:
    card = demo_card("王五", today=TODAY)
    idcard_sim.insert_card(card)
    idcard_sim.inject_fault(fault, **params)
    with pytest.raises(error) as info:
        reader.read_card()
    assert isinstance(info.value, base)
    assert (info.value.reason, info.value.status_code) == (reason, code)  # type: ignore[attr-defined]
    assert "460107198506240696" not in str(info.value)

    idcard_sim.clear_faults()
    assert reader.read_card() == card  # same driver, same simulator, nothing restarted


def test_reader_status_follows_line_faults(idcard_sim: SimulatedIdCardReader,
                                           reader: IdCardReader) -> None:
    idcard_sim.inject_fault("silence")
    status = reader.status()
    assert (status.state, status.code) == (ComponentState.UNAVAILABLE, StatusCode.TIMEOUT)
    idcard_sim.clear_faults()
    idcard_sim.inject_fault("garbage")
    assert reader.status().code is StatusCode.DATA_CORRUPTED
    idcard_sim.clear_faults()
    assert reader.status().usable


def test_expired_card_error_says_whose_card_and_when(idcard_sim: SimulatedIdCardReader,
                                                     reader: IdCardReader) -> None:
    idcard_sim.insert_card(demo_card("王五", today=TODAY))
    idcard_sim.inject_fault("expired_card", days_ago=3)
    with pytest.raises(CardExpiredError) as info:
        reader.read_card()
    assert info.value.valid_until == date(2026, 11, 23)
    assert info.value.card is not None and info.value.card.name == "王五"


def test_invalid_number_error_reports_the_check(idcard_sim: SimulatedIdCardReader,
                                                reader: IdCardReader) -> None:
    idcard_sim.insert_card(demo_card("王五", today=TODAY))
    idcard_sim.inject_fault("invalid_number")
    with pytest.raises(InvalidIdNumberError) as info:
        reader.read_card()
    assert info.value.check.problems == ("check_digit",)
    assert info.value.check.masked.startswith("4601*************")


@pytest.mark.parametrize(("fault", "params"), [
    ("checksum_error", {"count": 1}),  # one corrupted reply: the read retries and succeeds
    ("garbage", {"count": 1}),
    ("garbage", {"prefix": True, "length": 200}),  # noise before every frame: resynchronise
])
def test_transient_corruption_is_survived(idcard_sim: SimulatedIdCardReader,
                                          reader: IdCardReader, fault: str,
                                          params: dict[str, object]) -> None:
    card = demo_card("吴十", today=TODAY)
    idcard_sim.insert_card(card)
    idcard_sim.inject_fault(fault, **params)
    assert reader.read_card() == card


def test_corruption_is_retried_only_once(idcard_sim: SimulatedIdCardReader,
                                         reader: IdCardReader) -> None:
    idcard_sim.insert_card(demo_card("吴十", today=TODAY))
    before = idcard_sim.describe()["counters"].get("fault:checksum_error", 0)
    idcard_sim.inject_fault("checksum_error", count=3)
    with pytest.raises(ReaderChecksumError):
        reader.read_card()
    assert idcard_sim.describe()["counters"]["fault:checksum_error"] == before + 2
    assert reader.read_card() is not None  # the third corrupted reply is retried away


def test_silence_is_bounded_by_the_timeout(idcard_sim: SimulatedIdCardReader,
                                           reader: IdCardReader) -> None:
    idcard_sim.inject_fault("silence")
    started = time.monotonic()
    with pytest.raises(ReaderTimeoutError):
        reader.read_card()
    assert TIMEOUT <= time.monotonic() - started < TIMEOUT + 1.0


def test_wait_for_card(idcard_sim: SimulatedIdCardReader, reader: IdCardReader) -> None:
    assert reader.wait_for_card(poll_interval=0.01, max_wait=0.05) is None
    stop = threading.Event()
    stop.set()
    assert reader.wait_for_card(poll_interval=10, stop_event=stop) is None
    card = demo_card("李四", today=TODAY)
    idcard_sim.insert_card(card)
    assert reader.wait_for_card(poll_interval=10, stop_event=threading.Event()) == card


def test_simulator_going_away_makes_the_reader_unreachable(
    own_sim: SimulatedIdCardReader,
) -> None:
    with IdCardReader(own_sim.url, timeout=TIMEOUT) as reader:
        assert reader.read_card() is None
        own_sim.stop()
        with pytest.raises(ReaderNotReachableError):
            reader.read_card()
        assert reader.status().code is StatusCode.NOT_REACHABLE


def test_unopenable_ports_are_not_reachable() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound but not listening: refused
        urls = [f"socket://127.0.0.1:{port}", "/dev/pts/987654"]
        for url in urls:
            reader = IdCardReader(url, timeout=TIMEOUT)
            with pytest.raises(ReaderNotReachableError) as info:
                reader.read_card()
            assert isinstance(info.value, DeviceNotReachableError)
            assert reader.status().code is StatusCode.NOT_REACHABLE


def test_describe_shows_the_line_and_never_the_number(idcard_sim: SimulatedIdCardReader) -> None:
    idcard_sim.insert_card(demo_card("张三", today=TODAY))
    idcard_sim.inject_fault("card_removed")
    described = idcard_sim.describe()
    assert (described["name"], described["url"], described["simulated"]) == (
        "idcard", idcard_sim.url, True)
    assert described["faults"] == {"card_removed": {}}
    assert "460107195803179912" not in repr(described)


def test_a_full_read_takes_the_wire_time_of_115200_baud(
    pty_sim: SimulatedIdCardReader, record_property: pytest.RecordProperty,
) -> None:
    pty_sim.insert_card(demo_card("张三", today=TODAY))
    wire = wire_seconds(3 * 10 + 2 * 11 + 1295)  # three requests, their three replies
    with IdCardReader(pty_sim.url, clock=clock) as reader:
        reader.read_card()  # the port is open and warm
        timings = []
        for _ in range(5):
            started = time.perf_counter()
            assert reader.read_card() is not None
            timings.append(time.perf_counter() - started)
    record_property("full_read_seconds", sorted(timings))
    assert wire <= min(timings)
    assert sorted(timings)[2] < wire + 0.1


def test_a_slow_line_is_not_a_timeout() -> None:
    # At 38400 baud the read reply needs 0.34 s on the line: longer than the 0.2 s timeout,
    # which bounds silence, not a reply that is still arriving.
    with SimulatedIdCardReader("pty", baudrate=38400, clock=clock) as sim, \
            IdCardReader(sim.url, baudrate=38400, timeout=0.2, clock=clock) as reader:
        sim.insert_card(demo_card("张三", today=TODAY))
        assert reader.read_card() == demo_card("张三", today=TODAY)


def test_a_reply_that_stalls_midway_is_garbage() -> None:
    master, slave = os.openpty()
    tty.setraw(slave)

    def device() -> None:
        for _ in range(2):  # the find-card request and its retry
            os.read(master, 64)
            os.write(master, Reply(Sw3.CARD_FOUND).encode()[:8])  # then the line stalls

    try:
        thread = threading.Thread(target=device)
        thread.start()
        with IdCardReader(os.ttyname(slave), timeout=TIMEOUT) as reader, \
                pytest.raises(ReaderGarbageError, match="not a complete frame"):
            reader.read_card()
        thread.join(timeout=5)
    finally:
        os.close(master)
        os.close(slave)
