"""Frame sources (a V4L2 camera, a folder of images) and the scanner that decodes their frames.

Camera URLs:

    v4l2:///dev/video0          a V4L2 camera (also a bare ``/dev/videoN``); needs OpenCV,
                                which the station does not install by default
    dir:///path/to/frames       a folder of images played in file-name order; new files are
                                picked up as they appear (the simulated camera writes there);
                                ``?loop=1`` plays the folder again and again instead
    sim://                      the simulated camera: the caller passes its frames folder
                                (``sim_frames_dir``); ``sim:///path`` names the folder directly

A folder source and the simulator are reported as simulated; a V4L2 camera is not.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from pathlib import Path
from typing import Any, Protocol

from PIL import Image, UnidentifiedImageError

from devices.errors import (
    DeviceConfigError,
    DeviceNotReachableError,
    DeviceNotRespondingError,
)
from devices.model import ComponentInfo, ComponentKind
from devices.urls import parse_device_url

from .base import DEFAULT_DUPLICATE_WINDOW, Clock, ScannerBase
from .decoder import Decoder, Frame, default_decoder
from .events import MAX_PAYLOAD_BYTES, ScannedCode

log = logging.getLogger(__name__)

CAMERA_SCHEMES = frozenset({"v4l2", "dir", "sim"})
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".gif", ".pgm", ".ppm", ".webp",
                            ".tif", ".tiff"})
_POLL_SECONDS = 0.02  # how often a folder is looked at again while waiting for a new frame
_OPENCV_HINT = ("reading a V4L2 camera needs OpenCV, which is not installed: "
                "pip install opencv-python-headless (or use dir:// frames or the simulated camera)")


class FrameSource(Protocol):
    """Something that hands out camera frames."""

    url: str
    simulated: bool

    def read_frame(self, timeout: float = 0.0) -> Frame | None:
        """Return the next frame, waiting up to ``timeout`` seconds; None if there is none."""
        ...

    def close(self) -> None: ...


class FolderFrameSource:
    """Images in a folder, in file-name order; new files are delivered as they appear."""

    simulated = True

    def __init__(self, folder: str | Path, *, loop: bool = False, url: str = "") -> None:
        self.folder = Path(folder)
        self.loop = loop
        self.url = url or f"dir://{self.folder.resolve()}"
        self._last: str | None = None  # name of the last file delivered
        self._listing()  # fail now, not at the first read, if the folder is missing

    def read_frame(self, timeout: float = 0.0) -> Image.Image | None:
        """Return the next image, waiting up to ``timeout`` seconds for a new file."""
        deadline = time.monotonic() + timeout
        while True:
            frame = self._next_frame()
            remaining = deadline - time.monotonic()
            if frame is not None or remaining <= 0:
                return frame
            time.sleep(min(_POLL_SECONDS, remaining))

    def rewind(self) -> None:
        """Start again from the first file."""
        self._last = None

    def close(self) -> None:
        """Nothing to release; present for the FrameSource contract."""

    def _next_frame(self) -> Image.Image | None:
        for name in self._pending():
            self._last = name
            image = _load(self.folder / name)
            if image is not None:
                return image
        return None

    def _pending(self) -> list[str]:
        names = self._listing()
        later = [n for n in names if self._last is None or n > self._last]
        if not later and self.loop and names:
            return names
        return later

    def _listing(self) -> list[str]:
        try:
            return sorted(p.name for p in self.folder.iterdir()
                          if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file())
        except OSError as err:
            raise DeviceNotReachableError(f"frames folder {self.folder} unreadable: {err}") from err


def _load(path: Path) -> Image.Image | None:
    try:
        with Image.open(path) as image:
            image.load()
            return image
    except (OSError, UnidentifiedImageError) as err:
        # One bad file must not stop the camera; a technician sees it in the log.
        log.warning("skipping frame %s: %s", path.name, err)
        return None


class V4l2FrameSource:
    """A V4L2 camera read through OpenCV (only if OpenCV is installed)."""

    simulated = False

    def __init__(self, device: str = "/dev/video0", *, width: int = 640, height: int = 480
                 ) -> None:
        self.url = f"v4l2://{device}"
        cv2 = _import_cv2()
        if not Path(device).exists():
            raise DeviceNotReachableError(f"camera {device} does not exist (unplugged?)")
        self._cv2 = cv2
        self._capture = cv2.VideoCapture(device, cv2.CAP_V4L2)
        if not self._capture.isOpened():
            raise DeviceNotReachableError(f"camera {device} could not be opened (in use?)")
        self._capture.set(cv2.CAP_PROP_FRAME_WIDTH, width)
        self._capture.set(cv2.CAP_PROP_FRAME_HEIGHT, height)

    def read_frame(self, timeout: float = 0.0) -> Image.Image | None:
        """Return the next frame as grey; blocks one frame period (``timeout`` is not used)."""
        ok, frame = self._capture.read()
        if not ok:
            raise DeviceNotRespondingError(f"{self.url} delivered no frame")
        gray = self._cv2.cvtColor(frame, self._cv2.COLOR_BGR2GRAY)
        height, width = gray.shape[:2]
        return Image.frombytes("L", (width, height), gray.tobytes())

    def close(self) -> None:
        """Release the camera."""
        self._capture.release()


def _import_cv2() -> Any:
    try:
        import cv2  # type: ignore[import-not-found,unused-ignore]
    except ImportError as err:
        raise DeviceNotReachableError(_OPENCV_HINT) from err
    return cv2


def open_frame_source(url: str, *, sim_frames_dir: str | Path | None = None) -> FrameSource:
    """Open the frame source a camera URL names (see the module docstring for the forms)."""
    if url.startswith("/dev/video"):
        return V4l2FrameSource(url)
    parsed = parse_device_url(url, allowed=CAMERA_SCHEMES)
    if parsed.scheme == "v4l2":
        return V4l2FrameSource(parsed.path or "/dev/video0")
    loop = parsed.params.get("loop", "0").lower() in {"1", "true", "yes"}
    if parsed.scheme == "dir":
        if not parsed.path:
            raise DeviceConfigError(f"camera URL {url!r} needs a folder: dir:///path/to/frames")
        return FolderFrameSource(parsed.path, loop=loop, url=url)
    folder = parsed.path or sim_frames_dir
    if not folder:
        raise DeviceConfigError("sim:// camera: no frames folder given; start the simulated "
                                "camera and pass its folder, or use sim:///path/to/frames")
    return FolderFrameSource(folder, loop=loop, url=url)


class CameraScanner(ScannerBase):
    """Pull frames, decode them, deliver each new code once (repeats within ~2 s dropped)."""

    def __init__(self, source: FrameSource, decoder: Decoder | None = None, *,
                 source_id: str = "camera", duplicate_window: float = DEFAULT_DUPLICATE_WINDOW,
                 clock: Clock = time.monotonic, max_length: int = MAX_PAYLOAD_BYTES) -> None:
        self.source = source
        self.decoder = decoder or default_decoder()
        super().__init__(ComponentInfo(source_id, ComponentKind.CAMERA, source.url, source.simulated,
                                       {"decoder": self.decoder.name}),
                         duplicate_window=duplicate_window, clock=clock)
        self.max_length = max_length
        self._queue: deque[ScannedCode] = deque()  # further new codes seen in the same frame
        self.last_frame: Frame | None = None  # what the camera saw last, for taking a photo

    def scan_frame(self, frame: Frame) -> list[ScannedCode]:
        """Decode one frame; return the codes in it that are not repeats."""
        codes = []
        for found in self.decoder.decode(frame):
            if len(found.data) > self.max_length or not found.data:
                log.warning("%s: ignoring a %d-byte code", self.info.id, len(found.data))
            elif self._is_new(found.data):
                codes.append(ScannedCode(self.info.id, found.symbology, found.data, found.text))
        return codes

    def close(self) -> None:
        """Release the frame source."""
        self.source.close()

    def _receive(self, timeout: float) -> None:
        with self._device_io():
            frame = self.source.read_frame(timeout)
        if frame is not None:
            self.last_frame = frame
            self._queue.extend(self.scan_frame(frame))

    def _buffered_code(self) -> ScannedCode | None:
        return self._queue.popleft() if self._queue else None
