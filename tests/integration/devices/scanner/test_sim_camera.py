"""The simulated camera's frames go through the real folder source and decoders."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from devices.scanner.camera import CameraScanner
from devices.scanner.decoder import PyzbarDecoder, ZxingDecoder
from devices.scanner.events import Symbology
from devices.scanner.factory import open_scanner
from devices.sim.camera import FRAME_SIZE, SimulatedCamera, qr_symbol

GOLDEN = Path(__file__).parents[3] / "unit" / "devices" / "scanner" / "golden"


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def camera(tmp_path: Path) -> Iterator[SimulatedCamera]:
    with SimulatedCamera(tmp_path / "frames") as sim:
        yield sim


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(params=[ZxingDecoder, PyzbarDecoder], ids=["zxing-cpp", "pyzbar"])
def scanner(camera: SimulatedCamera, clock: FakeClock,
            request: pytest.FixtureRequest) -> CameraScanner:
    opened = open_scanner(camera.url, source_id="camera")
    assert isinstance(opened, CameraScanner)
    return CameraScanner(opened.source, request.param(), clock=clock)


@pytest.mark.parametrize("payload", ["国籍：中国 张三", "ZM1:6BFOXN*TS0BI$ZD4N9:9S6RCVN5+O30K3"])
def test_shown_code_is_read_exactly(camera: SimulatedCamera, scanner: CameraScanner,
                                    payload: str) -> None:
    frame = camera.show_code(payload, angle=6)
    assert frame is not None
    with Image.open(frame) as image:
        assert image.size == FRAME_SIZE
    code = scanner.read_code()
    assert code is not None
    assert (code.symbology, code.data, code.text) == (Symbology.QR_CODE, payload.encode(), payload)


def test_code128_slip(camera: SimulatedCamera, scanner: CameraScanner) -> None:
    camera.show_code("SLIP-000042", symbology="code128")
    code = scanner.read_code()
    assert code is not None and (code.symbology, code.text) == (Symbology.CODE_128, "SLIP-000042")


def test_code_held_in_view_is_one_scan(camera: SimulatedCamera, scanner: CameraScanner,
                                       clock: FakeClock) -> None:
    for _ in range(4):  # four frames, 0.5 s apart, of the same slip
        camera.show_code("ZM1:HELD")
    codes = []
    for _ in range(4):
        codes.append(scanner.read_code())
        clock.now += 0.5
    assert [c.text for c in codes if c] == ["ZM1:HELD"]


def test_blur_fault_makes_codes_unreadable_until_cleared(camera: SimulatedCamera,
                                                         scanner: CameraScanner) -> None:
    camera.inject_fault("blur")
    assert camera.show_code("ZM1:BLUR") is not None  # a frame arrives, but blurred
    assert scanner.read_code() is None
    camera.clear_faults()
    camera.show_code("ZM1:BLUR")
    code = scanner.read_code()
    assert code is not None and code.text == "ZM1:BLUR"


def test_silence_fault_delivers_no_frames(camera: SimulatedCamera,
                                          scanner: CameraScanner) -> None:
    camera.inject_fault("silence")
    assert camera.show_code("ZM1:QUIET") is None
    assert scanner.read_code(0.1) is None
    assert camera.describe()["frames_dropped"] == 1
    camera.clear_faults()
    camera.show_code("ZM1:QUIET")
    assert scanner.read_code() is not None


def test_show_a_golden_image_file(camera: SimulatedCamera, scanner: CameraScanner) -> None:
    camera.show(GOLDEN / "qr_utf8_chinese.png")
    code = scanner.read_code()
    assert code is not None and code.text == "中国北京市朝阳区幸福街道"


def test_show_a_full_frame_as_is(camera: SimulatedCamera, scanner: CameraScanner) -> None:
    frame = Image.new("L", FRAME_SIZE, 200)
    frame.paste(qr_symbol("AS-IS"), (100, 100))
    written = camera.show(frame)
    assert written is not None
    with Image.open(written) as image:
        assert image.tobytes() == frame.tobytes()
    code = scanner.read_code()
    assert code is not None and code.data == b"AS-IS"


def test_restarted_camera_numbers_frames_after_existing_ones(tmp_path: Path) -> None:
    with SimulatedCamera(tmp_path) as first:
        first.show_code("ONE")
    with SimulatedCamera(tmp_path) as second:
        written = second.show_code("TWO")
    assert written is not None and written.name == "frame-000002.png"


def test_camera_scanner_reports_simulated(camera: SimulatedCamera) -> None:
    scanner = open_scanner(camera.url)
    assert scanner.info.simulated and scanner.info.url == camera.url
    assert camera.describe()["simulated"] is True
