"""The driver against a real TCP peer on loopback: status, refusals, failures during a job."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from devices.errors import (
    CoverOpenError,
    DeviceConfigError,
    DeviceError,
    DeviceNotReachableError,
    DeviceNotRespondingError,
    DeviceTimeoutError,
    HardwareError,
    MediaEmptyError,
    MediaJammedError,
)
from devices.model import ComponentKind, ComponentState, StatusCode
from devices.printer import (
    Document,
    DocumentError,
    EscposPrinter,
    Qr,
    ReceiptPrinter,
    get_profile,
    render_bytes,
)
from devices.printer.samples import sample_certificate

QUERIES = b"\x10\x04\x01\x10\x04\x02\x10\x04\x03\x10\x04\x04"
PAPER_OUT = {1: 0x1A, 2: 0x32, 3: 0x12, 4: 0x7E}
PAPER_LOW = {1: 0x12, 2: 0x12, 3: 0x12, 4: 0x1E}
COVER_OPEN = {1: 0x1A, 2: 0x16, 3: 0x12, 4: 0x12}
JAMMED = {1: 0x1A, 2: 0x52, 3: 0x1A, 4: 0x12}
HEAD_HOT = {1: 0x1A, 2: 0x52, 3: 0x52, 4: 0x12}


def _printer(url: str, profile: str = "58mm", **kwargs: Any) -> EscposPrinter:
    kwargs.setdefault("status_timeout", 0.5)
    return EscposPrinter(url, get_profile(profile), **kwargs)


def test_info_describes_the_printer_from_its_profile(peer: Any) -> None:
    info = _printer(peer.url, "80mm", simulated=True).info()
    assert isinstance(_printer(peer.url), ReceiptPrinter)
    assert (info.kind, info.url, info.simulated) == (ComponentKind.RECEIPT_PRINTER, peer.url, True)
    chars = info.characteristics
    assert (chars["dot_width"], chars["columns"], chars["cutter"]) == (576, 48, "full")
    assert chars["native_qr"] and chars["status_readable"] and chars["transport"] == "tcp"


@pytest.mark.parametrize(
    ("status", "state", "code"),
    [
        ({}, ComponentState.READY, StatusCode.OK),
        (PAPER_LOW, ComponentState.READY, StatusCode.MEDIA_LOW),
        (PAPER_OUT, ComponentState.UNAVAILABLE, StatusCode.MEDIA_EMPTY),
        (COVER_OPEN, ComponentState.UNAVAILABLE, StatusCode.COVER_OPEN),
        (JAMMED, ComponentState.UNAVAILABLE, StatusCode.MEDIA_JAMMED),
    ],
)
def test_status(peer: Any, status: dict[int, int], state: ComponentState, code: StatusCode) -> None:
    peer.status.update(status)
    result = _printer(peer.url).status()
    assert (result.state, result.code) == (state, code)
    assert peer.received == QUERIES


def test_status_of_a_silent_printer_is_not_responding_never_paper_ok(peer: Any) -> None:
    peer.silent = True
    started = time.monotonic()
    status = _printer(peer.url, status_timeout=0.3).status()
    assert status.code is StatusCode.NOT_RESPONDING
    assert time.monotonic() - started < 1.0


def test_status_of_an_unreachable_printer(closed_port: int) -> None:
    started = time.monotonic()
    status = _printer(f"tcp://127.0.0.1:{closed_port}").status()
    assert (status.state, status.code) == (ComponentState.UNAVAILABLE, StatusCode.NOT_REACHABLE)
    assert time.monotonic() - started < 0.5


def test_print_sends_the_job_between_two_status_checks(peer: Any) -> None:
    job = render_bytes(sample_certificate(), get_profile("58mm"))
    result = _printer(peer.url).print_document(sample_certificate())
    assert result.bytes_sent == len(job) and result.confirmed
    assert result.status_before.code is StatusCode.OK
    assert result.status_after.code is StatusCode.OK
    assert 0 < result.duration_s < 2
    (wire,) = peer.connections
    assert bytes(wire) == QUERIES + job + b"\x1dr\x01" + QUERIES


def test_paper_low_still_prints_and_says_so(peer: Any) -> None:
    peer.status.update(PAPER_LOW)
    result = _printer(peer.url).print_document(sample_certificate())
    assert result.status_after.code is StatusCode.MEDIA_LOW and result.confirmed


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (PAPER_OUT, MediaEmptyError),
        (COVER_OPEN, CoverOpenError),
        (JAMMED, MediaJammedError),
        (HEAD_HOT, HardwareError),
    ],
)
def test_fault_before_the_job_refuses_and_sends_nothing(
    peer: Any, status: dict[int, int], error: type[DeviceError]
) -> None:
    peer.status.update(status)
    with pytest.raises(error, match="nothing was sent"):
        _printer(peer.url).print_document(sample_certificate())
    assert peer.received == QUERIES


def test_silent_printer_refuses_the_job_and_sends_nothing(peer: Any) -> None:
    peer.silent = True
    with pytest.raises(DeviceNotRespondingError):
        _printer(peer.url, status_timeout=0.3).print_document(sample_certificate())
    assert peer.received == QUERIES[:3]


def test_unreachable_printer_fails_quickly(closed_port: int) -> None:
    started = time.monotonic()
    with pytest.raises(DeviceNotReachableError):
        _printer(f"tcp://127.0.0.1:{closed_port}").print_document(sample_certificate())
    assert time.monotonic() - started < 0.5


def test_paper_running_out_during_the_job_fails_it(peer: Any) -> None:
    peer.paper_out_after = 400  # bytes into the connection: in the middle of the receipt
    with pytest.raises(MediaEmptyError, match="during the job") as info:
        _printer(peer.url).print_document(sample_certificate())
    job = render_bytes(sample_certificate(), get_profile("58mm"))
    assert f"{len(job)} bytes sent" in str(info.value)
    assert job in peer.received  # it was sent; the printer stopped, so the job failed


def test_paper_out_right_after_the_job_on_a_printer_without_gs_r(peer: Any) -> None:
    peer.answer_gs_r = False
    peer.paper_out_after = len(QUERIES) + 1000
    with pytest.raises(MediaEmptyError):
        _printer(peer.url, "58mm-basic").print_document(sample_certificate())
    assert b"\x1dr\x01" not in peer.received  # that profile does not ask


def test_printer_that_never_confirms_times_out(peer: Any) -> None:
    peer.answer_gs_r = False
    started = time.monotonic()
    with pytest.raises(DeviceTimeoutError, match="did not confirm"):
        _printer(peer.url, job_timeout=0.6).print_document(sample_certificate())
    assert 0.5 < time.monotonic() - started < 2.0


def test_status_during_a_job_is_busy(peer: Any, wait_until: Callable[..., None]) -> None:
    peer.answer_gs_r = False  # the job stays "printing" until its timeout
    printer = _printer(peer.url, job_timeout=1.5, status_timeout=0.2)
    errors: list[BaseException] = []

    def job() -> None:
        try:
            printer.print_document(sample_certificate())
        except DeviceError as err:
            errors.append(err)

    thread = threading.Thread(target=job)
    thread.start()
    job_size = len(render_bytes(sample_certificate(), get_profile("58mm")))
    wait_until(lambda: len(peer.received) > job_size)
    status = printer.status()
    thread.join(timeout=5)
    assert (status.state, status.detail) == (ComponentState.BUSY, "printing")
    assert [type(e) for e in errors] == [DeviceTimeoutError]


def test_bad_document_fails_before_connecting(peer: Any) -> None:
    with pytest.raises(DocumentError):
        _printer(peer.url).print_document(Document.of(Qr("SQ1:" + "A" * 2000, ec="H")))
    assert peer.connections == []


def test_one_way_file_printer_prints_with_status_not_readable(tmp_path: Path) -> None:
    device = tmp_path / "lp0"
    printer = _printer(f"file://{device}")
    assert printer.info().characteristics["status_readable"] is False
    assert "not readable" in printer.status().detail
    result = printer.print_document(sample_certificate())
    assert device.read_bytes() == render_bytes(sample_certificate(), get_profile("58mm"))
    assert not result.confirmed and "not readable" in result.status_after.detail


def test_sim_url_must_be_resolved_first() -> None:
    with pytest.raises(DeviceConfigError, match="tcp://"):
        EscposPrinter("sim://", get_profile("58mm"), simulated=True)


def test_receipt_text_is_not_logged(peer: Any, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    _printer(peer.url).print_document(sample_certificate())
    assert "bytes" in caplog.text  # the job is logged…
    assert "张三" not in caplog.text and "002X" not in caplog.text  # …its content is not
