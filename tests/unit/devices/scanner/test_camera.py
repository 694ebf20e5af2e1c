"""Folder frame sources, camera URLs, and CameraScanner's duplicate suppression."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PIL import Image

from devices.errors import DeviceConfigError, DeviceNotReachableError
from devices.model import ComponentState, StatusCode
from devices.scanner.camera import (
    CameraScanner,
    FolderFrameSource,
    V4l2FrameSource,
    open_frame_source,
)
from devices.scanner.decoder import ZxingDecoder
from devices.scanner.events import Symbology
from devices.sim.camera import compose_frame, qr_symbol


class FakeClock:
    def __init__(self) -> None:
        self.now = 50.0

    def __call__(self) -> float:
        return self.now


def write_frames(folder: Path, *payloads: str | None, first: int = 0) -> None:
    """Write one frame per payload (None: a frame with no code), named in order."""
    for index, payload in enumerate(payloads, start=first):
        symbol = qr_symbol(payload) if payload else Image.new("L", (8, 8), 255)
        compose_frame(symbol, seed=index).save(folder / f"f{index:03d}.png")


def shade(frame: Image.Image | None) -> int:
    assert isinstance(frame, Image.Image)
    return int(frame.getpixel((0, 0)))  # type: ignore[arg-type]


def test_folder_plays_in_name_order_then_runs_dry(tmp_path: Path) -> None:
    for name, value in [("b.png", 20), ("a.png", 10), ("c.jpg", 30)]:
        Image.new("L", (4, 4), value).save(tmp_path / name)
    (tmp_path / "notes.txt").write_text("not a frame")
    source = FolderFrameSource(tmp_path)
    assert [shade(source.read_frame()) for _ in range(3)] == [10, 20, 30]
    assert source.read_frame() is None


def test_folder_delivers_files_that_appear_later(tmp_path: Path) -> None:
    Image.new("L", (4, 4), 10).save(tmp_path / "001.png")
    source = FolderFrameSource(tmp_path)
    assert shade(source.read_frame()) == 10 and source.read_frame() is None
    Image.new("L", (4, 4), 20).save(tmp_path / "002.png")
    assert shade(source.read_frame()) == 20


def test_folder_loops_when_asked(tmp_path: Path) -> None:
    for name, value in [("1.png", 10), ("2.png", 20)]:
        Image.new("L", (4, 4), value).save(tmp_path / name)
    source = FolderFrameSource(tmp_path, loop=True)
    assert [shade(source.read_frame()) for _ in range(5)] == [10, 20, 10, 20, 10]


def test_broken_file_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "1.png").write_bytes(b"\x89PNG broken")
    Image.new("L", (4, 4), 20).save(tmp_path / "2.png")
    assert shade(FolderFrameSource(tmp_path).read_frame()) == 20


def test_missing_folder_is_not_reachable(tmp_path: Path) -> None:
    with pytest.raises(DeviceNotReachableError):
        FolderFrameSource(tmp_path / "nope")


def test_folder_removed_while_running_makes_the_camera_unavailable(tmp_path: Path) -> None:
    folder = tmp_path / "frames"
    folder.mkdir()
    scanner = CameraScanner(FolderFrameSource(folder))
    folder.rmdir()
    with pytest.raises(DeviceNotReachableError):
        scanner.read_code()
    assert scanner.status().state is ComponentState.UNAVAILABLE
    assert scanner.status().code is StatusCode.NOT_REACHABLE


@pytest.mark.parametrize("url,loop", [("dir://{p}", False), ("dir://{p}?loop=1", True),
                                      ("sim://{p}", False)])
def test_folder_urls(tmp_path: Path, url: str, loop: bool) -> None:
    source = open_frame_source(url.format(p=tmp_path))
    assert isinstance(source, FolderFrameSource)
    assert (source.folder, source.loop, source.simulated) == (tmp_path, loop, True)


def test_sim_url_takes_the_simulators_folder(tmp_path: Path) -> None:
    source = open_frame_source("sim://", sim_frames_dir=tmp_path)
    assert isinstance(source, FolderFrameSource) and source.folder == tmp_path


@pytest.mark.parametrize("url", ["sim://", "dir://", "http://camera/stream", "rtsp://x/y"])
def test_bad_camera_urls(url: str) -> None:
    with pytest.raises(DeviceConfigError):
        open_frame_source(url)


@pytest.mark.parametrize("url", ["v4l2:///dev/video0", "/dev/video0"])
def test_v4l2_without_opencv_says_what_to_install(url: str,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "cv2", None)  # as on a station without OpenCV
    with pytest.raises(DeviceNotReachableError, match="opencv-python-headless"):
        open_frame_source(url)


def test_v4l2_missing_device_is_not_reachable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "cv2", type(sys)("cv2"))  # OpenCV present, camera absent
    with pytest.raises(DeviceNotReachableError, match="does not exist"):
        V4l2FrameSource("/dev/video-not-here")


def test_camera_scanner_suppresses_repeats_within_two_seconds(tmp_path: Path) -> None:
    clock = FakeClock()
    scanner = CameraScanner(FolderFrameSource(tmp_path), ZxingDecoder(), clock=clock)
    write_frames(tmp_path, "ZM-A", "ZM-A", None, "ZM-B")
    first, second = scanner.read_code(), scanner.read_code()
    assert first is not None and (first.data, first.text) == (b"ZM-A", "ZM-A")
    assert second is None  # the same slip on the next frame
    assert scanner.read_code() is None  # nothing in view
    third = scanner.read_code()
    assert third is not None and third.data == b"ZM-B"
    assert third.symbology == Symbology.QR_CODE and third.source_id == "camera"


def test_same_code_again_after_the_window_is_a_new_scan(tmp_path: Path) -> None:
    clock = FakeClock()
    scanner = CameraScanner(FolderFrameSource(tmp_path), ZxingDecoder(), clock=clock)
    write_frames(tmp_path, "ZM-A")
    assert scanner.read_code() is not None
    clock.now += 1.5
    write_frames(tmp_path, "ZM-A", first=1)
    assert scanner.read_code() is None  # 1.5 s later: still the same presentation
    clock.now += 2.5
    write_frames(tmp_path, "ZM-A", first=2)
    again = scanner.read_code()
    assert again is not None and again.data == b"ZM-A"  # shown again after 2.5 s away


def test_reset_duplicates_delivers_the_next_sighting(tmp_path: Path) -> None:
    scanner = CameraScanner(FolderFrameSource(tmp_path), ZxingDecoder(), clock=FakeClock())
    frame = compose_frame(qr_symbol("ZM-A"))
    assert len(scanner.scan_frame(frame)) == 1 and scanner.scan_frame(frame) == []
    scanner.reset_duplicates()
    assert len(scanner.scan_frame(frame)) == 1


def test_two_codes_in_one_frame_are_both_delivered(tmp_path: Path) -> None:
    frame = Image.new("L", (640, 480), 200)
    frame.paste(qr_symbol("LEFT"), (20, 100))
    frame.paste(qr_symbol("RIGHT"), (380, 100))
    frame.save(tmp_path / "1.png")
    scanner = CameraScanner(FolderFrameSource(tmp_path), ZxingDecoder(), clock=FakeClock())
    codes = [scanner.read_code(), scanner.read_code()]
    assert sorted(c.data for c in codes if c) == [b"LEFT", b"RIGHT"]


def test_camera_scanner_describes_itself(tmp_path: Path) -> None:
    scanner = CameraScanner(open_frame_source(f"dir://{tmp_path}"), source_id="cam1")
    assert scanner.info.id == "cam1" and scanner.info.simulated
    assert scanner.info.url == f"dir://{tmp_path}"
    assert scanner.status().state is ComponentState.READY
