"""The trust list as a JWK Set (RFC 7517; Ed25519 keys as OKP JWKs per RFC 8037).

Export: ``{"keys": [{"kty": "OKP", "crv": "Ed25519", "x": ..., "kid": ..., "alg": "EdDSA",
"use": "sig"}]}`` with kid = base64url of the 8-byte key id. Import checks every entry and
refuses the whole set if one is wrong: unknown key type, wrong alg or use, private material
("d"), bad base64url, or a kid that is not the one computed from the key. Members we do not
use are ignored, as RFC 7517 §4 asks.

A certificate key of the platform's trust list also names its holder in three private members
(RFC 7517 §4 allows them): ``station_id``, ``community`` and ``station_code``. A verifier then
refuses a certificate whose issuer, community or serial is not the key holder's (see
``KeyBinding``). An entry carries all three or none.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from .b64url import b64url_decode, b64url_encode
from .signing import SCHEMES, KeyBinding, KeySet, PublicKey, Scheme, compute_kid

BINDING_MEMBERS = ("station_id", "community", "station_code")


class JwksError(ValueError):
    """A JWK Set cannot be trusted as published."""


def export_jwks(keys: Iterable[PublicKey], binding: KeyBinding | None = None) -> dict[str, Any]:
    """Return the public keys as a JWK Set (a JSON-ready dict), bound to a station if given.

    A KeySet exports each key with its own binding."""
    bindings = keys.binding if isinstance(keys, KeySet) else (lambda _kid: binding)
    return {"keys": [_export_key(key, bindings(key.kid) or binding) for key in keys]}


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
    keys = KeySet()
    for index, entry in enumerate(entries):
        key = _import_key(entry, index)
        keys.add(key, _binding_of(entry, f"keys[{index}]"))
    return keys


def _export_key(key: PublicKey, binding: KeyBinding | None) -> dict[str, str]:
    scheme = SCHEMES[key.alg]
    members = {**scheme.jwk_members(key.spki), "kid": b64url_encode(key.kid),
               "alg": scheme.jose_alg, "use": "sig"}
    if binding is not None:
        members.update(station_id=binding.station_id, community=binding.community_code,
                       station_code=binding.station_code)
    return members


def _binding_of(entry: Mapping[str, Any], where: str) -> KeyBinding | None:
    present = [name for name in BINDING_MEMBERS if name in entry]
    if not present:
        return None
    if len(present) != len(BINDING_MEMBERS) or not all(
            isinstance(entry[name], str) and entry[name] for name in BINDING_MEMBERS):
        raise JwksError(f"{where}: a bound key names station_id, community and station_code")
    return KeyBinding(station_id=entry["station_id"], community_code=entry["community"],
                      station_code=entry["station_code"])


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
