"""Transports over real links: a TCP peer on loopback, a pseudo-terminal, a file."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from devices.errors import DeviceConfigError, DeviceNotReachableError
from devices.model import StatusCode
from devices.printer.profiles import get_profile
from devices.printer.render import render, render_bytes
from devices.printer.samples import sample_certificate
from devices.printer.status import query_status
from devices.printer.transport import open_connection
from devices.urls import parse_device_url, serial_settings

PROFILE = get_profile("58mm")


def test_python_escpos_network_printer_puts_the_dummy_bytes_on_the_wire(
    peer: Any, wait_until: Callable[..., None]
) -> None:
    job = render_bytes(sample_certificate(), PROFILE)
    with open_connection(peer.url, PROFILE, timeout=1.0) as connection:
        render(sample_certificate(), PROFILE, connection.printer)  # straight to the socket
    wait_until(lambda: len(peer.received) >= len(job))
    assert peer.received == job


def test_closed_port_is_not_reachable_quickly(closed_port: int) -> None:
    started = time.monotonic()
    with pytest.raises(DeviceNotReachableError):
        open_connection(f"tcp://127.0.0.1:{closed_port}", PROFILE, timeout=3.0)
    assert time.monotonic() - started < 0.5


def test_status_over_tcp_drains_stale_bytes_first(
    peer: Any, wait_until: Callable[..., None]
) -> None:
    peer.greeting = b"\x7e\x7e\x7e"  # would read as "paper end" if taken for answers
    with open_connection(peer.url, PROFILE, timeout=1.0) as connection:
        wait_until(lambda: len(peer.connections) == 1)  # the greeting has been sent
        assert connection.link is not None
        status = query_status(connection.link, 1.0)
    assert status.raw == b"\x12\x12\x12\x12"
    assert status.to_component_status().code is StatusCode.OK


def test_stale_bytes_are_what_drain_removes(peer: Any, wait_until: Callable[..., None]) -> None:
    peer.greeting = b"\x7e\x7e\x7e"
    with open_connection(peer.url, PROFILE, timeout=1.0) as connection:
        wait_until(lambda: len(peer.connections) == 1)
        assert connection.link is not None
        assert connection.link.drain() == 3
        assert connection.link.read(1, 0.05) == b""


def test_silent_printer_is_not_responding_within_the_timeout(peer: Any) -> None:
    peer.silent = True
    with open_connection(peer.url, PROFILE, timeout=1.0) as connection:
        assert connection.link is not None
        started = time.monotonic()
        status = query_status(connection.link, 0.3)
        elapsed = time.monotonic() - started
    assert status.to_component_status().code is StatusCode.NOT_RESPONDING
    assert 0.25 < elapsed < 0.8


@pytest.mark.parametrize("reset", [False, True], ids=["fin", "rst"])
def test_connection_closed_by_the_printer_is_not_reachable(peer: Any, reset: bool) -> None:
    """A printer that hangs up (FIN), or is power-cycled (RST, which may arrive while the
    connection is still opening), is "not reachable" — never a raw socket error."""
    peer.drop, peer.reset = True, reset
    with (pytest.raises(DeviceNotReachableError, match=r"closed|reset"),
          open_connection(peer.url, PROFILE, timeout=1.0) as connection):
        assert connection.link is not None
        query_status(connection.link, 1.0)


def test_serial_printer_behind_a_pty_answers_status_and_prints(pty_peer: Any) -> None:
    pty_peer.status[4] = 0x1E  # paper near end
    url = f"serial://{pty_peer.path}?baudrate=115200"
    job = render_bytes(sample_certificate(), PROFILE)
    with open_connection(url, PROFILE, timeout=1.0) as connection:
        assert connection.link is not None
        status = query_status(connection.link, 1.0)
        connection.send(job, timeout=2.0)
        query_status(connection.link, 1.0)  # answered only after the job was read
    assert status.to_component_status().code is StatusCode.MEDIA_LOW
    assert job in pty_peer.received


def test_file_transport_is_one_way_and_writes_the_job(tmp_path: Path) -> None:
    device = tmp_path / "lp0"
    job = render_bytes(sample_certificate(), PROFILE)
    with open_connection(f"file://{device}", PROFILE, timeout=1.0) as connection:
        assert connection.link is None
        connection.send(job, timeout=1.0)
    assert device.read_bytes() == job


def test_missing_file_device_is_not_reachable(tmp_path: Path) -> None:
    with pytest.raises(DeviceNotReachableError):
        open_connection(f"file://{tmp_path}/no/such/dir/lp0", PROFILE, timeout=1.0)


def test_absent_usb_printer_is_not_reachable() -> None:
    with pytest.raises((DeviceNotReachableError, DeviceConfigError)) as info:
        open_connection("usb://0fe6:811e", PROFILE, timeout=0.5)
    # DeviceConfigError only when libusb itself is missing, and then it says so.
    if isinstance(info.value, DeviceConfigError):
        assert "libusb" in str(info.value)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("serial:///dev/ttyUSB0", {}),
        ("serial:///dev/ttyUSB0?baudrate=115200&parity=e&stopbits=2",
         {"baudrate": 115200, "parity": "E", "stopbits": 2}),
        ("serial:///dev/ttyS0?bytesize=7&xonxoff=1&dsrdtr=0&rtscts=true",
         {"bytesize": 7, "xonxoff": True, "dsrdtr": False, "rtscts": True}),
    ],
)
def test_serial_params_from_the_url(url: str, expected: dict[str, Any]) -> None:
    assert serial_settings(parse_device_url(url)) == expected


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("serial:///dev/ttyUSB0?baud=9600", "unknown parameter.*baud"),
        ("serial:///dev/ttyUSB0?baudrate=fast", "not a number"),
        ("serial:///dev/ttyUSB0?parity=X", "parity"),
        ("serial:///dev/ttyUSB0?stopbits=3", "stopbits"),
        ("tcp://127.0.0.1:9100?timeout=5", "unknown parameter"),
        ("usb://0416:5011?in_ep=zz", "in_ep"),
        ("sim://", "tcp:// URL the simulator"),
        ("socket://127.0.0.1:9100", "scheme 'socket'"),
    ],
)
def test_bad_printer_urls_are_config_errors(url: str, message: str) -> None:
    with pytest.raises(DeviceConfigError, match=message):
        open_connection(url, PROFILE, timeout=0.5)
