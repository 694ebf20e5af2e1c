"""The trust list as a JWK Set (RFC 7517; Ed25519 keys as OKP JWKs per RFC 8037).

Export: ``{"keys": [{"kty": "OKP", "crv": "Ed25519", "x": ..., "kid": ..., "alg": "EdDSA",
"use": "sig"}]}`` with kid = base64url of the 8-byte key id. Import checks every entry and
refuses the whole set if one is wrong: unknown key type, wrong alg or use, private material
("d"), bad base64url, or a kid that is not the one computed from the key. Members we do not
use are ignored, as RFC 7517 §4 asks.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from .b64url import b64url_decode, b64url_encode
from .signing import SCHEMES, KeySet, PublicKey, Scheme, compute_kid


class JwksError(ValueError):
    """A JWK Set cannot be trusted as published."""


def export_jwks(keys: Iterable[PublicKey]) -> dict[str, Any]:
    """Return the public keys as a JWK Set (a JSON-ready dict)."""
    return {"keys": [_export_key(key) for key in keys]}


def import_jwks(document: Mapping[str, Any] | str | bytes) -> KeySet:
    """Return a KeySet holding every key of a JWK Set; raise JwksError if any entry is wrong."""
    if isinstance(document, str | bytes):
        try:
            document = json.loads(document)
        except ValueError as err:
            raise JwksError(f"not JSON: {err}") from err
    entries = document.get("keys") if isinstance(document, Mapping) else None
    if not isinstance(entries, list):
        raise JwksError('a JWK Set is an object with a "keys" array')
    return KeySet(_import_key(entry, index) for index, entry in enumerate(entries))


def _export_key(key: PublicKey) -> dict[str, str]:
    scheme = SCHEMES[key.alg]
    return {**scheme.jwk_members(key.spki), "kid": b64url_encode(key.kid),
            "alg": scheme.jose_alg, "use": "sig"}


def _import_key(entry: object, index: int) -> PublicKey:
    where = f"keys[{index}]"
    if not isinstance(entry, Mapping):
        raise JwksError(f"{where} is not an object")
    if "d" in entry:
        raise JwksError(f"{where} holds private key material; publish public keys only")
    scheme = _scheme_for(entry, where)
    _check_member(entry, "use", "sig", where)
    _check_member(entry, "alg", scheme.jose_alg, where)
    try:
        key = PublicKey(scheme.alg, scheme.spki_from_jwk(entry))
        kid = b64url_decode(entry.get("kid"))
    except ValueError as err:
        raise JwksError(f"{where}: {err}") from err
    if kid != compute_kid(key.spki):
        raise JwksError(f"{where}: kid {entry.get('kid')!r} does not match its key")
    return key


def _scheme_for(entry: Mapping[str, Any], where: str) -> Scheme:
    kind = (entry.get("kty"), entry.get("crv"))
    for scheme in SCHEMES.values():
        if scheme.jwk_kind == kind:
            return scheme
    raise JwksError(f"{where}: unsupported key type kty={kind[0]!r} crv={kind[1]!r}")


def _check_member(entry: Mapping[str, Any], name: str, expected: str, where: str) -> None:
    if name in entry and entry[name] != expected:
        raise JwksError(f"{where}: {name} is {entry[name]!r}, expected {expected!r}")
