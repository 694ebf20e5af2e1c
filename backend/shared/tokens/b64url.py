"""Base64url without padding (RFC 7515 §2), decoded strictly: one value, one spelling."""

from __future__ import annotations

import base64
import re

_TEXT = re.compile(r"[A-Za-z0-9_-]*")


def b64url_encode(data: bytes) -> str:
    """Encode bytes as unpadded base64url."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: object) -> bytes:
    """Decode unpadded base64url; raise ValueError on padding, stray or non-canonical text."""
    if not isinstance(text, str) or not _TEXT.fullmatch(text) or len(text) % 4 == 1:
        raise ValueError("not unpadded base64url text")
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if b64url_encode(data) != text:
        raise ValueError("non-canonical base64url (stray trailing bits)")
    return data
