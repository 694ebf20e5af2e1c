"""Re-encoding a picture from outside (a resident's photo, a picture staff attach) before it is kept
or synced: decoded by Pillow from the formats allowed, turned upright, flattened to bare RGB
pixels — a new image, so no EXIF (a phone's location, a camera's serial) or JPEG comment survives;
Pillow would otherwise write ``info["comment"]`` back — scaled to a long side, and saved as a JPEG
small enough to travel, lowering the quality step by step. Anything else is refused with the
caller's error code and a detail saying why."""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import AppError

MAX_PIXELS = 40_000_000  # a small file that decodes to a huge picture is refused before decoding
MAGIC = {"JPEG": (b"\xff\xd8\xff",), "PNG": (b"\x89PNG\r\n\x1a\n",)}


@dataclass(frozen=True)
class PictureRules:
    refused: str  # the error code raised for anything not accepted
    formats: tuple[str, ...]  # Pillow format names accepted, e.g. ("JPEG", "PNG")
    max_input: int  # bytes
    long_side: int  # pixels
    max_output: int  # bytes of the JPEG kept
    qualities: tuple[int, ...] = (82, 70, 55, 40)


def reencoded_jpeg(data: bytes, rules: PictureRules) -> bytes:
    """``data`` as an upright JPEG with no metadata within ``rules``; AppError(rules.refused) if not."""
    if not data or len(data) > rules.max_input:
        raise AppError(rules.refused, detail=f"{len(data)} bytes")
    if not data.startswith(tuple(m for f in rules.formats for m in MAGIC.get(f, ()))):
        raise AppError(rules.refused, detail=f"not {' or '.join(rules.formats)}")
    try:
        with Image.open(io.BytesIO(data), formats=rules.formats) as image:
            if image.width * image.height > MAX_PIXELS:
                raise AppError(rules.refused, detail=f"{image.width}x{image.height}")
            picture = _flat(ImageOps.exif_transpose(image))
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError, SyntaxError) as err:
        raise AppError(rules.refused, detail=type(err).__name__) from err
    picture.thumbnail((rules.long_side, rules.long_side))
    for quality in rules.qualities:
        out = io.BytesIO()
        picture.save(out, format="JPEG", quality=quality, optimize=True)
        if out.tell() <= rules.max_output:
            return out.getvalue()
    raise AppError(rules.refused, detail="too detailed to send")


def _flat(image: Image.Image) -> Image.Image:
    """The pixels alone, RGB on white (a PNG's transparent parts would turn black in a JPEG)."""
    rgba = image.convert("RGBA")
    flat = Image.new("RGB", rgba.size, "white")
    flat.paste(rgba, mask=rgba.getchannel("A"))
    return flat
