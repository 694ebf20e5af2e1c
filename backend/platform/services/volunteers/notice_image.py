"""Checking the picture staff attach to an emergency notice: a JPEG or PNG (by its first bytes) of
at most 300 kB that Pillow decodes, re-encoded as a JPEG at most 1024 px on its long side — which
drops EXIF (a phone's location, its serial) and any other metadata — and small enough (≤ 150 kB)
to ride base64 in the emergency's change to every station of the community."""

from __future__ import annotations

import base64
import binascii
import io
from typing import Any

from PIL import Image, ImageOps, UnidentifiedImageError

from backend.shared.errors import AppError
from backend.shared.volunteers.notice_image import IMAGE_KEY, JPEG_MAGIC

from .errors import NOTICE_IMAGE_BAD

MAX_UPLOAD = 300 * 1024
MAX_STORED = 150 * 1024
LONG_SIDE = 1024
MAX_PIXELS = 40_000_000  # a small file that decodes to a huge picture is refused before decoding
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def clean(data: bytes) -> bytes:
    """The picture re-encoded (JPEG, ≤ 1024 px, no metadata); refuse anything else with
    ``emergency.bad_notice_image``."""
    if not data or len(data) > MAX_UPLOAD:
        raise AppError(NOTICE_IMAGE_BAD, detail=f"{len(data)} bytes")
    if not data.startswith((JPEG_MAGIC, PNG_MAGIC)):
        raise AppError(NOTICE_IMAGE_BAD, detail="not a JPEG or PNG")
    try:
        with Image.open(io.BytesIO(data), formats=("JPEG", "PNG")) as image:
            if image.width * image.height > MAX_PIXELS:
                raise AppError(NOTICE_IMAGE_BAD, detail=f"{image.width}x{image.height}")
            picture = _flat(ImageOps.exif_transpose(image))
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError, SyntaxError) as err:
        raise AppError(NOTICE_IMAGE_BAD, detail=type(err).__name__) from err
    picture.thumbnail((LONG_SIDE, LONG_SIDE))
    for quality in (82, 70, 55, 40):
        out = io.BytesIO()
        picture.save(out, format="JPEG", quality=quality, optimize=True)
        if out.tell() <= MAX_STORED:
            return out.getvalue()
    raise AppError(NOTICE_IMAGE_BAD, detail="too detailed to send")


def _flat(image: Image.Image) -> Image.Image:
    """The pixels alone, RGB on white: a new image carries none of the file's metadata (Pillow
    would write a JPEG comment back), and a PNG's transparent parts would turn black in a JPEG."""
    rgba = image.convert("RGBA")
    flat = Image.new("RGB", rgba.size, "white")
    flat.paste(rgba, mask=rgba.getchannel("A"))
    return flat


def stored(notice: dict[str, Any], upload: bytes | None) -> dict[str, Any]:
    """The notice as the emergency keeps it: its words, and the checked picture (base64) if any."""
    if not upload:
        return notice
    return notice | {IMAGE_KEY: base64.b64encode(clean(upload)).decode("ascii")}


def decoded(text: str) -> bytes:
    """The JSON API's ``image_base64``, refused with the same code when it is not base64."""
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as err:
        raise AppError(NOTICE_IMAGE_BAD, detail="not base64") from err
