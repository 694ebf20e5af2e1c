"""Photos residents take at the kiosk for a request: checked to be a JPEG, turned upright, scaled
down and saved again without metadata (no camera serial, no location), small enough to sync."""

from __future__ import annotations

import io

from PIL import Image, ImageOps, UnidentifiedImageError

from backend.shared.errors import AppError
from backend.shared.tickets.errors import BAD_PHOTO

MAX_INPUT_BYTES = 5 * 1024 * 1024
MAX_SIDE = 1280
MAX_OUTPUT_BYTES = 280 * 1024  # base64 stays under the sync message's limit


def normalise_jpeg(data: bytes) -> bytes:
    """Return the photo re-encoded (JPEG, at most 1280 px a side, no metadata); refuse others."""
    if not data or len(data) > MAX_INPUT_BYTES:
        raise AppError(BAD_PHOTO, detail=f"{len(data)} bytes")
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != "JPEG":
                raise AppError(BAD_PHOTO, detail=f"format {image.format}")
            upright = ImageOps.exif_transpose(image).convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError) as err:
        raise AppError(BAD_PHOTO, detail=type(err).__name__) from err
    upright.thumbnail((MAX_SIDE, MAX_SIDE))
    for quality in (80, 65, 50, 35):
        out = io.BytesIO()
        upright.save(out, format="JPEG", quality=quality, optimize=True)
        if out.tell() <= MAX_OUTPUT_BYTES:
            return out.getvalue()
    raise AppError(BAD_PHOTO, detail="too detailed to send")
