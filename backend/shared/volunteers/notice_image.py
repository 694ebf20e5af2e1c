"""An emergency notice's picture (a map of the closed area, where supplies are handed out) as it
travels: the platform checks and re-encodes it (``services/volunteers/notice_image``) and keeps it
base64 inside the notice's dict, so it reaches the stations with the emergency's change; the
station serves the bytes to the kiosk, which may reach loopback only. Listings leave the bytes out
and say ``has_image``."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import Any

IMAGE_KEY = "image_jpeg"  # base64 of a JPEG, at most 1024 px on its long side, no metadata
JPEG_MAGIC = b"\xff\xd8\xff"


def image_of(notice: Mapping[str, Any]) -> bytes | None:
    """The notice's JPEG, or None (none, or not a JPEG in base64)."""
    text = notice.get(IMAGE_KEY)
    if not isinstance(text, str) or not text:
        return None
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    return data if data.startswith(JPEG_MAGIC) else None


def described(notice: Mapping[str, Any]) -> dict[str, Any]:
    """The notice for a listing: its words and whether it has a picture (not the bytes)."""
    return {k: v for k, v in notice.items() if k != IMAGE_KEY} | {"has_image": image_of(notice) is not None}
