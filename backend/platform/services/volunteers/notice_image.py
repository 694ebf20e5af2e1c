"""Checking the picture staff attach to an emergency notice: a JPEG or PNG (by its first bytes) of
at most 300 kB that Pillow decodes, re-encoded as a JPEG at most 1024 px on its long side — which
drops EXIF (a phone's location, its serial) and any other metadata — and small enough (≤ 150 kB)
to ride base64 in the emergency's change to every station of the community."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from backend.shared.errors import AppError
from backend.shared.pictures import PictureRules, reencoded_jpeg
from backend.shared.volunteers.notice_image import IMAGE_KEY

from .errors import NOTICE_IMAGE_BAD

RULES = PictureRules(refused=NOTICE_IMAGE_BAD, formats=("JPEG", "PNG"), max_input=300 * 1024,
                     long_side=1024, max_output=150 * 1024)


def clean(data: bytes) -> bytes:
    """The picture re-encoded (JPEG, ≤ 1024 px, no metadata); refuse anything else with
    ``emergency.bad_notice_image``."""
    return reencoded_jpeg(data, RULES)


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
