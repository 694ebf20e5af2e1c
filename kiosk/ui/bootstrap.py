"""Kivy's environment and configuration, set before Kivy is first imported.

Kivy reads its environment (KIVY_HOME, KIVY_NO_ARGS, KIVY_LOG_MODE) when ``kivy`` is imported and
its window size from Config before the window exists, so ``prepare`` must run first; ``register_font``
must run before the first widget is built, or Chinese renders as boxes.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import assets

log = logging.getLogger(__name__)

DEFAULT_SIZE = (1280, 800)


def window_size(value: str | None = None) -> tuple[int, int]:
    """Return the window size from ``WxH`` (default: KIOSK_UI_SIZE, else 1280x800)."""
    value = value if value is not None else os.environ.get("KIOSK_UI_SIZE", "")
    if not value:
        return DEFAULT_SIZE
    try:
        width, height = (int(part) for part in value.lower().split("x"))
    except ValueError as err:
        raise ValueError(f"window size must look like 1280x800, not {value!r}") from err
    if not (320 <= width <= 7680 and 240 <= height <= 4320):
        raise ValueError(f"window size {value!r} is out of range")
    return width, height


MULTISAMPLES_ENV = "KIOSK_UI_MULTISAMPLES"


def prepare(data_dir: Path, *, size: tuple[int, int], fullscreen: bool) -> None:
    """Set Kivy's environment and window configuration (call before importing Kivy)."""
    if "kivy" in sys.modules and "kivy.core.window" in sys.modules:
        log.warning("Kivy's window already exists; the window settings may not apply")
    kivy_home = data_dir / "kivy"
    kivy_home.mkdir(parents=True, exist_ok=True)
    os.environ["KIVY_HOME"] = str(kivy_home)
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_LOG_MODE", "MIXED")
    os.environ.setdefault("KIVY_NO_FILELOG", "1")
    from kivy.config import Config

    width, height = size
    Config.set("graphics", "width", str(width))
    Config.set("graphics", "height", str(height))
    Config.set("graphics", "resizable", "0")
    Config.set("graphics", "position", "custom")
    Config.set("graphics", "left", "0")
    Config.set("graphics", "top", "0")
    Config.set("graphics", "fullscreen", "auto" if fullscreen else "0")
    Config.set("graphics", "borderless", "1" if fullscreen else "0")
    Config.set("kivy", "exit_on_escape", "0")  # a resident must not close the kiosk
    Config.set("input", "mouse", "mouse,disable_multitouch")  # no red dots on a right click
    # Kivy's default 2x multisampling triples the cost of every frame on a software renderer
    # (Mesa llvmpipe: ~30 ms instead of ~9 for a 1280x800 frame); a panel with a GPU may want it.
    Config.set("graphics", "multisamples", os.environ.get(MULTISAMPLES_ENV, "0"))


def register_font() -> Path:
    """Make the CJK font Kivy's default, so every label renders Simplified Chinese."""
    from kivy.core.text import DEFAULT_FONT, LabelBase

    path, index = assets.cjk_font()
    if index != 0:
        # Kivy's SDL2 text provider always opens face 0 of a collection.
        log.warning("font %s: Kivy opens face 0, not face %d; Chinese may use Japanese glyphs",
                    path, index)
    LabelBase.register(DEFAULT_FONT, str(path))
    log.info("default font: %s", path)
    return path
