"""Finding the kiosk's images in assets/images (drawn by assets/images/draw_icons.py)."""

from __future__ import annotations

import logging

import assets

log = logging.getLogger(__name__)


def image(name: str) -> str:
    """Return the path of an image for Kivy, or "" (no image) if it is missing."""
    path = assets.path("images", name)
    if not path.is_file():
        log.warning("image %s is missing", path)
        return ""
    return str(path)
