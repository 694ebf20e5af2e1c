"""The signature-scheme seam: signers, public keys, a registry of schemes and the trust store.

A scheme is named by its COSE algorithm number (EdDSA = -8). Public keys travel as DER
SubjectPublicKeyInfo, which every scheme can express, so the trust store, the key id and
the JWKS code never depend on one curve. Adding SM2/SM3 means writing one class that
satisfies ``Scheme`` (and a ``Signer``) and registering it, as ``ed25519.py`` does.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from .errors import Reason, TokenError

EDDSA = -8  # COSE algorithm number (RFC 9053)
KID_SIZE = 8


def compute_kid(spki: bytes) -> bytes:
    """Return the key id: the first 8 bytes of SHA-256 over the DER SubjectPublicKeyInfo."""
    return hashlib.sha256(spki).digest()[:KID_SIZE]


@dataclass(frozen=True)
class KeyBinding:
    """Who may sign with a key: the trust list ties each certificate key to one station.

    Without it, any station's key would verify a certificate claiming any other station as
    issuer; with it, a verifier refuses a token whose issuer, community or serial prefix is not
    the key holder's.
    """

    station_id: str
    community_code: str
    station_code: str  # the middle part of the station's serials: 2026-S01-000123

    def allows(self, *, issuer: str, community_code: str, serial: str) -> bool:
        parts = serial.split("-")
        return (issuer == self.station_id and community_code == self.community_code
                and len(parts) == 3 and parts[1] == self.station_code)


@dataclass(frozen=True)
class PublicKey:
    """A verification key: its COSE algorithm and its DER SubjectPublicKeyInfo."""

    alg: int
    spki: bytes

    @property
    def kid(self) -> bytes:
        return compute_kid(self.spki)


class Signer(Protocol):
    """Something that signs for one key (a key in memory today, an HSM or SM2 device later)."""

    @property
    def alg(self) -> int: ...

    @property
    def kid(self) -> bytes: ...

    @property
    def public_key(self) -> PublicKey: ...

    def sign(self, data: bytes) -> bytes: ...


class ExportableSigner(Signer, Protocol):
    """A signer whose private key can be written to a PKCS#8 PEM file."""

    def private_pem(self) -> bytes: ...


class Scheme(Protocol):
    """One signature algorithm: key generation and loading, verification, JWK form."""

    alg: int  # COSE algorithm number
    jose_alg: str  # JOSE "alg" name, as in a JWKS
    jwk_kind: tuple[str, str]  # (kty, crv) of its JWKs

    def generate(self) -> ExportableSigner: ...

    def load_signer(self, pem: bytes) -> ExportableSigner | None:
        """Return a signer for the PEM's key, or None when it is another scheme's key."""
        ...

    def verify(self, spki: bytes, data: bytes, signature: bytes) -> bool: ...

    def jwk_members(self, spki: bytes) -> dict[str, str]:
        """Return the JWK members that carry the key (kty, crv, x, ...)."""
        ...

    def spki_from_jwk(self, jwk: Mapping[str, Any]) -> bytes:
        """Return the DER SubjectPublicKeyInfo of a JWK; raise ValueError if it is wrong."""
        ...


SCHEMES: dict[int, Scheme] = {}


def register_scheme(scheme: Scheme) -> Scheme:
    """Make a scheme available to signers, key files, JWKS and verification."""
    if SCHEMES.get(scheme.alg, scheme) is not scheme:
        raise ValueError(f"COSE algorithm {scheme.alg} is already registered")
    SCHEMES[scheme.alg] = scheme
    return scheme


def get_scheme(alg: object) -> Scheme:
    """Return the scheme for a COSE algorithm; raise TokenError(unsupported_alg) if none."""
    scheme = SCHEMES.get(alg) if isinstance(alg, int) else None
    if scheme is None:
        raise TokenError(Reason.UNSUPPORTED_ALG, f"COSE algorithm {alg!r}")
    return scheme


class KeySet:
    """The trust store: kid -> public key. Holds old keys too, so rotation keeps old
    certificates verifiable until their keys are removed from the published list."""

    def __init__(self, keys: Iterable[PublicKey] = (), binding: KeyBinding | None = None) -> None:
        self._keys: dict[bytes, PublicKey] = {}
        self._bindings: dict[bytes, KeyBinding] = {}
        for key in keys:
            self.add(key, binding)

    def add(self, key: PublicKey, binding: KeyBinding | None = None) -> None:
        """Trust a key under its computed kid, bound to its station when the list says so."""
        self._keys[key.kid] = key
        if binding is not None:
            self._bindings[key.kid] = binding
        else:
            self._bindings.pop(key.kid, None)

    def binding(self, kid: bytes) -> KeyBinding | None:
        """Return the station a key belongs to (None: the list did not say)."""
        return self._bindings.get(kid)

    def remove(self, kid: bytes) -> None:
        """Stop trusting a key (e.g. a compromised or retired one)."""
        self._keys.pop(kid, None)
        self._bindings.pop(kid, None)

    def get(self, kid: bytes) -> PublicKey | None:
        """Return the key with this kid, if trusted."""
        return self._keys.get(kid)

    def __contains__(self, kid: object) -> bool:
        return kid in self._keys

    def __iter__(self) -> Iterator[PublicKey]:
        return iter(self._keys.values())

    def __len__(self) -> int:
        return len(self._keys)

    def verify(self, kid: bytes, alg: int, data: bytes, signature: bytes) -> None:
        """Check a signature; raise TokenError (unsupported_alg, unknown_key, bad_signature)."""
        scheme = get_scheme(alg)
        key = self._keys.get(kid)
        if key is None:
            raise TokenError(Reason.UNKNOWN_KEY, f"kid {kid.hex()}")
        if key.alg != alg:
            # Never let a message choose another algorithm for a trusted key.
            raise TokenError(Reason.BAD_SIGNATURE, f"kid {kid.hex()} is an alg {key.alg} key")
        if not scheme.verify(key.spki, data, signature):
            raise TokenError(Reason.BAD_SIGNATURE, f"kid {kid.hex()}")
