"""Sealing a resident's contact details (phone number, name given to a client) with AES-GCM.

The station seals them with a key derived (HKDF) from the district's ID-hash key, which the
station receives at enrolment and the platform holds, so the contact travels sealed in the outbox
and only the platform can open it; the platform keeps it sealed under its own data key.
"""

from __future__ import annotations

import base64
import json
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_NONCE = 12
_AAD = b"ticket-contact"


class SealError(ValueError):
    """A sealed contact cannot be opened: wrong key, or altered."""


class ContactSealer:
    """Seals and opens contact details with a key derived from a secret."""

    def __init__(self, secret: bytes, *, purpose: bytes = b"kiosk ticket contact v1") -> None:
        if len(secret) < 32:
            raise ValueError("the secret must have 32 bytes or more")
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(secret)
        self._aead = AESGCM(key)

    def seal(self, contact: dict[str, Any]) -> str:
        """Return the contact encrypted, as base64url text."""
        nonce = os.urandom(_NONCE)
        plain = json.dumps(contact, ensure_ascii=False, sort_keys=True).encode()
        return base64.urlsafe_b64encode(nonce + self._aead.encrypt(nonce, plain, _AAD)).decode()

    def open(self, sealed: str) -> dict[str, Any]:
        """Return the contact a ``seal`` produced; raise SealError if it cannot be opened."""
        try:
            blob = base64.urlsafe_b64decode(sealed.encode())
            plain = self._aead.decrypt(blob[:_NONCE], blob[_NONCE:], _AAD)
            contact: dict[str, Any] = json.loads(plain)
        except (InvalidTag, ValueError, TypeError) as err:
            raise SealError("the contact cannot be opened") from err
        return contact
