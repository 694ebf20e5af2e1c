"""A simulated camera: it writes realistic 640×480 frames into a folder the camera source plays.

``show_code(text)`` renders a QR code (qrcode) or a CODE128 bar code (python-barcode) on a
slightly grey "paper" patch over a noisy, unevenly lit background, as a cheap webcam sees a
slip or a phone; ``show(image_or_path)`` shows any picture. Frames are written atomically as
``frame-000001.png``… so ``devices.scanner.camera.FolderFrameSource`` (URL ``dir:///folder``,
this simulator's ``url``) delivers them in order through the real decoders.

Faults (``devices.sim.faults``, device "camera"): ``silence`` delivers no frames (what is shown
is dropped); ``blur`` delivers frames blurred beyond reading.
"""

from __future__ import annotations

import os
import random
import re
from pathlib import Path
from typing import Any, Literal

import barcode
import qrcode
from barcode.writer import ImageWriter
from PIL import Image, ImageChops, ImageFilter
from qrcode.constants import ERROR_CORRECT_H, ERROR_CORRECT_L, ERROR_CORRECT_M, ERROR_CORRECT_Q

from .base import FaultSet

FRAME_SIZE = (640, 480)
BLUR_FAULT_RADIUS = 6.0  # Gaussian radius that neither decoder reads through at 4 px/module
_EC_LEVELS = {"L": ERROR_CORRECT_L, "M": ERROR_CORRECT_M, "Q": ERROR_CORRECT_Q,
              "H": ERROR_CORRECT_H}
_FRAME_NAME = re.compile(r"^frame-(\d+)\.png$")
_INK, _PAPER = 40, 225  # a printed slip under kiosk light is neither black nor white


def qr_symbol(payload: str | bytes, *, ec: str = "M", module_px: int = 4, border: int = 4
              ) -> Image.Image:
    """Render a QR code (byte mode for UTF-8 text, alphanumeric where qrcode can) as grey."""
    code = qrcode.QRCode(error_correction=_EC_LEVELS[ec], box_size=module_px, border=border)
    if isinstance(payload, str) and not payload.isascii():
        payload = payload.encode("utf-8")  # byte mode holding UTF-8, as Chinese apps print it
    code.add_data(payload)
    code.make(fit=True)
    return code.make_image().get_image().convert("L")


def code128_symbol(text: str, *, module_px: int = 2, height_px: int = 90) -> Image.Image:
    """Render a CODE128 bar code with its quiet zones, no human-readable line, as grey."""
    dpi = 254  # 10 px per mm keeps module widths whole pixels
    options = {"module_width": module_px / 10, "module_height": height_px / 10,
               "quiet_zone": 10 * module_px / 10, "write_text": False, "dpi": dpi}
    image: Image.Image = barcode.get("code128", text, writer=ImageWriter()).render(options)
    return image.convert("L")


def compose_frame(symbol: Image.Image, *, size: tuple[int, int] = FRAME_SIZE,
                  angle: float = 0.0, blur: float = 0.0, noise: int = 8, seed: int = 0
                  ) -> Image.Image:
    """Place a symbol on a camera-like frame: lighting gradient, paper, tilt, blur, noise."""
    rng = random.Random(seed)
    frame = _background(size, rng)
    paper = symbol.point(lambda v: _INK + (_PAPER - _INK) * v // 255)
    mask = Image.new("L", paper.size, 255)
    if angle:
        paper = paper.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True)
        mask = mask.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True)
    slack_x, slack_y = max(0, size[0] - paper.width), max(0, size[1] - paper.height)
    origin = (slack_x // 2 + rng.randint(-slack_x // 4, slack_x // 4),
              slack_y // 2 + rng.randint(-slack_y // 4, slack_y // 4))
    frame.paste(paper, origin, mask)
    if blur:
        frame = frame.filter(ImageFilter.GaussianBlur(blur))
    return _add_noise(frame, noise, rng) if noise else frame


def _background(size: tuple[int, int], rng: random.Random) -> Image.Image:
    # A horizontal lighting gradient from a darker to a lighter counter top.
    left, right = rng.randint(70, 110), rng.randint(140, 180)
    ramp = Image.linear_gradient("L").rotate(90).resize(size)
    return ramp.point(lambda v: right + (left - right) * v // 255)


def _add_noise(frame: Image.Image, amplitude: int, rng: random.Random) -> Image.Image:
    grain = Image.frombytes("L", frame.size, rng.randbytes(frame.width * frame.height))
    grain = grain.point(lambda v: 128 + (v - 128) * amplitude // 128)
    return ImageChops.add(frame, grain, scale=1.0, offset=-128)


class SimulatedCamera:
    """A camera whose picture is whatever the test or technician shows it."""

    name = "camera"

    def __init__(self, frames_dir: str | Path, *, size: tuple[int, int] = FRAME_SIZE) -> None:
        self.frames_dir = Path(frames_dir).resolve()
        self.size = size
        self.faults = FaultSet("camera")
        self.counters = {"frames_written": 0, "frames_dropped": 0}
        self._seq = 0

    @property
    def url(self) -> str:
        """The camera URL that plays this simulator's frames: ``dir:///…``."""
        return f"dir://{self.frames_dir}"

    def start(self) -> None:
        """Create the frames folder; number new frames after any already there."""
        self.frames_dir.mkdir(parents=True, exist_ok=True)
        numbers = [int(m.group(1)) for p in self.frames_dir.iterdir()
                   if (m := _FRAME_NAME.match(p.name))]
        self._seq = max(numbers, default=0)

    def stop(self) -> None:
        """Stop showing frames (the files stay for a technician to look at)."""

    def __enter__(self) -> SimulatedCamera:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def show(self, image_or_path: Image.Image | str | Path) -> Path | None:
        """Deliver one frame showing the picture; return its file, or None if silenced."""
        if isinstance(image_or_path, Image.Image):
            image = image_or_path
        else:
            with Image.open(image_or_path) as opened:
                image = opened.copy()
        if image.size != self.size:
            image = compose_frame(image.convert("L"), size=self.size, noise=0, seed=self._seq)
        return self._deliver(image)

    def show_code(self, payload: str | bytes, *, symbology: Literal["qr", "code128"] = "qr",
                  ec: str = "M", module_px: int = 4, angle: float = 0.0) -> Path | None:
        """Deliver a frame showing a QR code (or CODE128) of the payload, as a webcam sees it."""
        if symbology == "code128":
            text = payload.decode("ascii") if isinstance(payload, bytes) else payload
            symbol = code128_symbol(text, module_px=max(2, module_px // 2))
        else:
            symbol = qr_symbol(payload, ec=ec, module_px=module_px)
        return self._deliver(compose_frame(symbol, size=self.size, angle=angle, seed=self._seq))

    def inject_fault(self, fault: str, **params: Any) -> None:
        """Turn on a fault from the "camera" list (silence, blur)."""
        self.faults.add(fault, **params)

    def clear_faults(self) -> None:
        """Turn every fault off."""
        self.faults.clear()

    def describe(self) -> dict[str, Any]:
        """Return the state a technician wants to see."""
        return {"name": self.name, "url": self.url, "simulated": True,
                "faults": self.faults.as_dict(), "last_frame": self._seq, **self.counters}

    def _deliver(self, image: Image.Image) -> Path | None:
        if "silence" in self.faults:
            self.counters["frames_dropped"] += 1
            return None
        if "blur" in self.faults:
            image = image.filter(ImageFilter.GaussianBlur(BLUR_FAULT_RADIUS))
        self._seq += 1
        target = self.frames_dir / f"frame-{self._seq:06d}.png"
        partial = target.with_suffix(".part")  # not an image suffix: never read half-written
        image.save(partial, format="PNG")
        os.replace(partial, target)
        self.counters["frames_written"] += 1
        return target
