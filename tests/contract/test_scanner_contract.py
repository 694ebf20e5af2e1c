"""What the station needs from a serial scan engine."""

from __future__ import annotations

from devices.scanner.factory import open_scanner

from .conftest import Target


def test_silence_is_none_not_an_error(scanner_target: Target) -> None:
    scanner = open_scanner(scanner_target.url)
    try:
        assert scanner.read_code(0.3) is None or scanner_target.on_hardware
        assert scanner.status().usable
    finally:
        scanner.close()


def test_a_scan_arrives_byte_for_byte(scanner_target: Target) -> None:
    scanner = open_scanner(scanner_target.url)
    try:
        if scanner_target.simulator is not None:
            scanner_target.simulator.scan("ZM1:CONTRACT-TEST")
        else:
            print("\nscan any QR code…")
        code = scanner.read_code(scanner_target.wait)
    finally:
        scanner.close()
    assert code is not None
    if scanner_target.simulator is not None:
        assert code.text == "ZM1:CONTRACT-TEST"
