"""Sealing a resident's contact details (phone number, name given to a client) so that only the
platform can open them.

A station seals to the platform's X25519 public key, handed over at enrolment, HPKE-style (RFC
9180's base mode, spelled out with ``cryptography``): a fresh key pair per message, X25519 with the
platform's key, HKDF-SHA256 over the shared secret (salted with both public keys), AES-256-GCM.
The station keeps no secret that opens what it sealed; the platform keeps the private key in its
data folder (``keys/contact.key``, 0600) and opens.

Before this, contacts were sealed with a key derived from the district's ID-hash key, which every
station held (a kiosk could open any contact in the platform's database). Values sealed that way
carry no version prefix; only the platform opens them (``ContactOpener(legacy_secret=...)``), and
the platform re-seals them to its own key once (``backend.platform.services.rekey``).
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

_NONCE = 12
_KEY = 32
_AAD = b"ticket-contact"
_LEGACY_INFO = b"kiosk ticket contact v1"
_INFO = b"kiosk ticket contact v2 x25519-hkdf-sha256-aes256gcm"
PREFIX = "v2."  # sealed to the platform's public key; no prefix: the legacy shared-key form


class SealError(ValueError):
    """A sealed contact cannot be opened: wrong key, or altered."""


def public_bytes(key: X25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


class ContactSealer:
    """Seals contact details to the platform's public key; it cannot open them."""

    def __init__(self, public_key: X25519PublicKey | bytes) -> None:
        if isinstance(public_key, bytes):
            public_key = X25519PublicKey.from_public_bytes(public_key)
        self._recipient = public_key

    def seal(self, contact: dict[str, Any]) -> str:
        """Return the contact encrypted to the platform, as text."""
        ephemeral = X25519PrivateKey.generate()
        sender = public_bytes(ephemeral.public_key())
        key = _derive(ephemeral.exchange(self._recipient), sender, public_bytes(self._recipient))
        nonce = os.urandom(_NONCE)
        plain = json.dumps(contact, ensure_ascii=False, sort_keys=True).encode()
        blob = sender + nonce + AESGCM(key).encrypt(nonce, plain, _AAD)
        return PREFIX + base64.urlsafe_b64encode(blob).decode()


class ContactOpener:
    """The platform's side: opens what was sealed to its key (and the legacy form, given the old
    shared secret), and seals like a station does."""

    def __init__(self, private_key: X25519PrivateKey, *, legacy_secret: bytes | None = None) -> None:
        self._private = private_key
        self.public_key = private_key.public_key()
        self.sealer = ContactSealer(self.public_key)
        self._legacy = AESGCM(_legacy_key(legacy_secret)) if legacy_secret else None

    def seal(self, contact: dict[str, Any]) -> str:
        return self.sealer.seal(contact)

    def open(self, sealed: str) -> dict[str, Any]:
        """Return the sealed contact; raise SealError if it cannot be opened."""
        try:
            if sealed.startswith(PREFIX):
                plain = self._open_current(base64.urlsafe_b64decode(sealed[len(PREFIX):].encode()))
            elif self._legacy is not None:
                blob = base64.urlsafe_b64decode(sealed.encode())
                plain = self._legacy.decrypt(blob[:_NONCE], blob[_NONCE:], _AAD)
            else:
                raise SealError("a legacy contact and no legacy key")
            contact: dict[str, Any] = json.loads(plain)
        except (InvalidTag, ValueError, TypeError) as err:
            raise SealError("the contact cannot be opened") from err
        return contact

    def is_current(self, sealed: str) -> bool:
        return sealed.startswith(PREFIX)

    def _open_current(self, blob: bytes) -> bytes:
        sender, nonce, body = blob[:_KEY], blob[_KEY:_KEY + _NONCE], blob[_KEY + _NONCE:]
        shared = self._private.exchange(X25519PublicKey.from_public_bytes(sender))
        key = _derive(shared, sender, public_bytes(self.public_key))
        return AESGCM(key).decrypt(nonce, body, _AAD)


def _derive(shared: bytes, sender: bytes, recipient: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=_KEY, salt=sender + recipient, info=_INFO).derive(shared)


def _legacy_key(secret: bytes) -> bytes:
    if len(secret) < 32:
        raise ValueError("the secret must have 32 bytes or more")
    return HKDF(algorithm=hashes.SHA256(), length=_KEY, salt=None, info=_LEGACY_INFO).derive(secret)


def legacy_seal(secret: bytes, contact: dict[str, Any]) -> str:
    """Seal the way stations did before the platform key (for tests of the re-sealing)."""
    nonce = os.urandom(_NONCE)
    plain = json.dumps(contact, ensure_ascii=False, sort_keys=True).encode()
    blob = nonce + AESGCM(_legacy_key(secret)).encrypt(nonce, plain, _AAD)
    return base64.urlsafe_b64encode(blob).decode()


def load_or_create_contact_key(path: Path) -> X25519PrivateKey:
    """The platform's contact key (raw 32 bytes, 0600), created on first use."""
    from backend.shared.privacy import load_or_create_secret

    return X25519PrivateKey.from_private_bytes(load_or_create_secret(path))


def load_sealer(path: Path) -> ContactSealer:
    """A station's sealer: the platform's public key from enrolment. Before enrolment there is
    none; contacts are then sealed to a throwaway key (nobody could receive them anyway)."""
    if path.exists():
        return ContactSealer(path.read_bytes())
    return ContactSealer(X25519PrivateKey.generate().public_key())
