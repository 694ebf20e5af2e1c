"""Ed25519 (COSE EdDSA, -8; JWK OKP/Ed25519 per RFC 8037): the scheme in use today."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from .b64url import b64url_decode, b64url_encode
from .signing import EDDSA, PublicKey, register_scheme

_DER = serialization.Encoding.DER
_SPKI = serialization.PublicFormat.SubjectPublicKeyInfo
_RAW = serialization.Encoding.Raw


class Ed25519Signer:
    """Signs with an Ed25519 private key held in memory."""

    alg = EDDSA

    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self._private = private_key
        spki = private_key.public_key().public_bytes(_DER, _SPKI)
        self._public = PublicKey(EDDSA, spki)

    @classmethod
    def from_seed(cls, seed: bytes) -> Ed25519Signer:
        """Build a signer from a 32-byte RFC 8032 private key (used by test vectors)."""
        return cls(Ed25519PrivateKey.from_private_bytes(seed))

    @property
    def kid(self) -> bytes:
        return self._public.kid

    @property
    def public_key(self) -> PublicKey:
        return self._public

    def sign(self, data: bytes) -> bytes:
        """Return the 64-byte Ed25519 signature of data."""
        return self._private.sign(data)

    def private_pem(self) -> bytes:
        """Return the private key as unencrypted PKCS#8 PEM (the file mode protects it)."""
        return self._private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )


class Ed25519Scheme:
    """The Ed25519 entry of the scheme registry."""

    alg = EDDSA
    jose_alg = "EdDSA"
    jwk_kind = ("OKP", "Ed25519")

    def generate(self) -> Ed25519Signer:
        """Return a signer for a fresh random key."""
        return Ed25519Signer(Ed25519PrivateKey.generate())

    def load_signer(self, pem: bytes) -> Ed25519Signer | None:
        """Return a signer for a PKCS#8 PEM, or None if it holds another kind of key."""
        key = serialization.load_pem_private_key(pem, password=None)
        return Ed25519Signer(key) if isinstance(key, Ed25519PrivateKey) else None

    def verify(self, spki: bytes, data: bytes, signature: bytes) -> bool:
        """Return whether signature is a valid Ed25519 signature of data under spki."""
        key = _public_key(spki)
        if key is None:
            return False
        try:
            key.verify(signature, data)
        except InvalidSignature:
            return False
        return True

    def jwk_members(self, spki: bytes) -> dict[str, str]:
        """Return kty, crv and x (the raw 32-byte key, base64url) for a JWK."""
        key = serialization.load_der_public_key(spki)
        raw = key.public_bytes(_RAW, serialization.PublicFormat.Raw)
        return {"kty": "OKP", "crv": "Ed25519", "x": b64url_encode(raw)}

    def spki_from_jwk(self, jwk: Mapping[str, Any]) -> bytes:
        """Return the DER SubjectPublicKeyInfo of an OKP/Ed25519 JWK."""
        raw = b64url_decode(jwk.get("x"))
        if len(raw) != 32:
            raise ValueError(f"x is {len(raw)} bytes, an Ed25519 key is 32")
        return Ed25519PublicKey.from_public_bytes(raw).public_bytes(_DER, _SPKI)


@lru_cache(maxsize=4096)
def _public_key(spki: bytes) -> Ed25519PublicKey | None:
    """Parse a trusted key once: a fleet's trust list is a few thousand keys, verified many times."""
    key = serialization.load_der_public_key(spki)
    return key if isinstance(key, Ed25519PublicKey) else None


ED25519 = register_scheme(Ed25519Scheme())
