"""open_scanner picks the scanner a URL names."""

from __future__ import annotations

from pathlib import Path

import pytest

from devices.errors import DeviceConfigError, DeviceNotReachableError
from devices.scanner.camera import CameraScanner
from devices.scanner.factory import open_scanner
from devices.scanner.serial_scanner import SerialScanner, Terminator


def test_loop_url_opens_a_serial_scanner_with_its_options() -> None:
    scanner = open_scanner("loop://?terminator=cr&baudrate=115200", source_id="s1")
    try:
        assert isinstance(scanner, SerialScanner)
        assert scanner.info.characteristics == {"baudrate": 115200, "terminator": Terminator.CR}
        assert scanner.info.id == "s1"
    finally:
        scanner.close()


@pytest.mark.parametrize("url", ["dir://{p}", "sim://{p}"])
def test_camera_urls_open_a_camera_scanner(tmp_path: Path, url: str) -> None:
    assert isinstance(open_scanner(url.format(p=tmp_path)), CameraScanner)


def test_sim_with_frames_folder_is_the_camera(tmp_path: Path) -> None:
    assert isinstance(open_scanner("sim://", sim_frames_dir=tmp_path), CameraScanner)


@pytest.mark.parametrize("url,error", [
    ("sim://", DeviceConfigError),                      # unresolved simulator
    ("loop://?terminator=tab", DeviceConfigError),
    ("loop://?baudrate=fast", DeviceConfigError),
    ("/dev/ttyACM-not-here", DeviceNotReachableError),
    ("socket://127.0.0.1:1", DeviceNotReachableError),  # nothing listens on port 1
])
def test_bad_scanner_urls(url: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        open_scanner(url)
