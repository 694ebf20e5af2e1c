"""Pictures from outside are re-encoded before they are kept or synced: a resident's photo at the
station (JPEG only) keeps no metadata — no camera make, no GPS, no JPEG comment — is turned
upright and scaled, and what is not a picture is refused with the caller's code."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from backend.shared.errors import AppError
from backend.station.services.photos import normalise_jpeg


def photo(size: tuple[int, int] = (2000, 1000), *, orientation: int = 1) -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x0112] = orientation
    exif[0x8825] = {2: (19.0, 58.0, 0.0)}  # GPS latitude
    out = io.BytesIO()
    Image.new("RGB", size, (200, 60, 60)).save(out, format="JPEG", exif=exif.tobytes(),
                                               comment=b"resident 460107 note")
    return out.getvalue()


def test_a_residents_photo_keeps_no_metadata_and_is_scaled() -> None:
    kept = normalise_jpeg(photo())
    with Image.open(io.BytesIO(kept)) as image:
        assert image.format == "JPEG" and image.size == (1280, 640)
        assert not image.getexif() and "comment" not in image.info
    assert b"CameraMaker" not in kept and b"460107" not in kept


def test_a_photo_taken_sideways_is_turned_upright() -> None:
    with Image.open(io.BytesIO(normalise_jpeg(photo((800, 400), orientation=6)))) as image:
        assert image.size == (400, 800)


@pytest.mark.parametrize("data", [b"", b"not a picture", b"\x89PNG\r\n\x1a\n" + b"\0" * 64,
                                  b"\xff\xd8\xff" + b"\0" * 64, b"\xff\xd8\xff" * (2 * 1024 * 1024)])
def test_what_is_not_a_jpeg_photo_is_refused_with_the_photo_code(data: bytes) -> None:
    with pytest.raises(AppError) as refused:
        normalise_jpeg(data)
    assert refused.value.code == "ticket.bad_photo"
