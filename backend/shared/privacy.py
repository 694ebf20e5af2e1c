"""Protecting residents' ID numbers at rest: a keyed hash to find a person, AES-GCM to read a
number back where the law needs it, and the masked form for everything shown or logged.

The keyed hash is per community: ``HMAC(community key, HMAC(district key, number))``. The
community key is derived on the platform from a master key that never leaves it
(``community_hash_key``); a station receives only its own community's key, so its keys cannot
produce a hash that matches a resident of another community. The inner district key is the one
every station received before (it is no secret any more); keeping it as the inner step is what
let the platform re-key the hashes it had stored without the ID numbers it never kept.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from datetime import date
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from devices.idcard.idnumber import mask_id_number

from .private_files import write_private_file

__all__ = ["IdProtector", "community_hash_key", "load_or_create_secret", "mask_id_number", "rekeyed_hash"]

_NONCE_BYTES = 12
SEALED_PREFIX = "sealed:"


class IdProtector:
    """Hashes, encrypts and decrypts ID numbers with the station's secrets."""

    def __init__(self, hash_key: bytes, data_key: bytes, *, community_key: bytes | None = None) -> None:
        if len(hash_key) < 32 or len(data_key) != 32 or len(community_key or b"k" * 32) < 32:
            raise ValueError("hash keys must have 32+ bytes and the data key exactly 32")
        self._hash_key = hash_key
        self._community_key = community_key
        self._data_key = data_key
        self._aead = AESGCM(data_key)

    def for_community(self, community_key: bytes) -> IdProtector:
        """The same protector hashing for one community."""
        return IdProtector(self._hash_key, self._data_key, community_key=community_key)

    def lookup_hash(self, id_number: str) -> str:
        """Return the keyed hash used to find a resident (hex, 64 characters)."""
        inner = hmac.new(self._hash_key, _normal(id_number).encode(), hashlib.sha256).hexdigest()
        return inner if self._community_key is None else rekeyed_hash(self._community_key, inner)

    def token_hash(self, id_number: str) -> bytes:
        """Return the shorter keyed hash a certificate carries (16 bytes)."""
        return bytes.fromhex(self.lookup_hash(id_number))[:16]

    def encrypt(self, id_number: str) -> bytes:
        nonce = os.urandom(_NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, _normal(id_number).encode(), b"id-number")

    def decrypt(self, blob: bytes) -> str:
        return self._aead.decrypt(blob[:_NONCE_BYTES], blob[_NONCE_BYTES:], b"id-number").decode()

    # A birth date is never stored in clear beside a masked number: with the community's region
    # and the mask's last character it would leave only tens of possible ID numbers.
    def seal_date(self, value: date) -> bytes:
        nonce = os.urandom(_NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, value.isoformat().encode(), b"birth-date")

    def open_date(self, blob: bytes) -> date:
        plain = self._aead.decrypt(blob[:_NONCE_BYTES], blob[_NONCE_BYTES:], b"birth-date")
        return date.fromisoformat(plain.decode())

    def seal_text(self, value: str) -> bytes:
        """Seal a short secret kept for the platform's own use (a robot URL's key, a signing secret)."""
        nonce = os.urandom(_NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, value.encode(), b"secret")

    def open_text(self, blob: bytes) -> str:
        return self._aead.decrypt(blob[:_NONCE_BYTES], blob[_NONCE_BYTES:], b"secret").decode()

    def seal_date_text(self, value: date) -> str:
        """A sealed date for JSON columns: ``sealed:`` and base64url."""
        return SEALED_PREFIX + base64.urlsafe_b64encode(self.seal_date(value)).decode("ascii")

    def open_date_text(self, text: str) -> date:
        """Open ``seal_date_text``; a plain ISO date (written before dates were sealed) as is."""
        if not text.startswith(SEALED_PREFIX):
            return date.fromisoformat(text)
        return self.open_date(base64.urlsafe_b64decode(text[len(SEALED_PREFIX):]))


def community_hash_key(master: bytes, community_code: str) -> bytes:
    """The hash key of one community, derived from the platform's master key."""
    info = b"kiosk id hash v2 community " + community_code.encode()
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(master)


def rekeyed_hash(community_key: bytes, inner_hash: str) -> str:
    """The community's hash of a district-keyed hash (what ``lookup_hash`` does in two steps)."""
    return hmac.new(community_key, inner_hash.encode(), hashlib.sha256).hexdigest()


def _normal(id_number: str) -> str:
    return id_number.strip().upper()


def load_or_create_secret(path: Path, size: int = 32) -> bytes:
    """Read a secret key file, creating it (mode 0600, folder 0700) on first use."""
    if path.exists():
        data = path.read_bytes()
        if len(data) != size:
            raise ValueError(f"{path} holds {len(data)} bytes, expected {size}")
        return data
    data = secrets.token_bytes(size)
    write_private_file(path, data, folder_mode=0o700)
    return data


def make_private(data_dir: Path, database: str) -> None:
    """Keep a data folder and its database to its owner: the folder 0700, the database and its
    WAL and shared-memory files 0600 (masked ID numbers and names are in there), and make what
    this process creates from now on private too."""
    os.umask(0o077)
    data_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(data_dir, 0o700)
    for suffix in ("", "-wal", "-shm", "-journal"):
        path = data_dir / f"{database}{suffix}"
        if path.exists():
            os.chmod(path, 0o600)
