"""Photos residents take at the kiosk for a request: checked to be a JPEG, turned upright, scaled
down and saved again without metadata (no camera serial, no location), small enough to sync."""

from __future__ import annotations

from backend.shared.pictures import PictureRules, reencoded_jpeg
from backend.shared.tickets.errors import BAD_PHOTO

MAX_INPUT_BYTES = 5 * 1024 * 1024
RULES = PictureRules(refused=BAD_PHOTO, formats=("JPEG",), max_input=MAX_INPUT_BYTES, long_side=1280,
                     max_output=280 * 1024,  # base64 stays under the sync message's limit
                     qualities=(80, 65, 50, 35))


def normalise_jpeg(data: bytes) -> bytes:
    """Return the photo re-encoded (JPEG, at most 1280 px a side, no metadata); refuse others."""
    return reencoded_jpeg(data, RULES)
