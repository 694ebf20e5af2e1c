"""Pictures of the window: a PNG for the tests' screenshots and a small JPEG for staff's remote
screenshot (``kiosk.capture``)."""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from pathlib import Path

from kivy.core.window import Window


def screenshot(path: Path) -> str:
    """Draw the window now and save it as a PNG at ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    Window.dispatch("on_draw")  # render into the back buffer that is about to be read
    with tempfile.TemporaryDirectory(dir=path.parent) as folder:
        # Kivy appends a counter to the name it is given; write aside, then move into place.
        saved = Window.screenshot(name=os.path.join(folder, "shot.png"))
        if not saved:
            raise ValueError("the window could not be captured")
        shutil.move(saved, path)
    return str(path)


def grab_jpeg(max_width: int = 640, quality: int = 70) -> bytes:
    """Draw the window now and return it as a small JPEG (for staff's remote screenshot)."""
    from PIL import Image

    with tempfile.TemporaryDirectory() as folder:
        png = Path(screenshot(Path(folder) / "screen.png"))
        with Image.open(png) as image:
            picture = image.convert("RGB")
    if picture.width > max_width:
        picture = picture.resize((max_width, round(picture.height * max_width / picture.width)))
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=quality)
    return out.getvalue()
