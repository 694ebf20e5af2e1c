"""Which release keys a station trusts: those set at install, plus rotations through the trust list.

A rotation is a statement ``{"jwks": {...}, "signature": {...}}``: the new keys, signed (as a
manifest is) by a key the station already trusts from its install. The platform only carries the
statement in its trust list; it cannot add a key of its own, because it holds no release key.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from backend.shared.errors import AppError
from backend.shared.tokens.jwks import JwksError, import_jwks
from backend.shared.tokens.signing import KeySet, Signer

from .manifest import check_signature, sign_manifest

ROTATION_MEMBER = "release_keys"  # where the statement sits in the platform's trust list


def canonical(jwks: dict[str, Any]) -> bytes:
    return json.dumps(jwks, sort_keys=True, separators=(",", ":")).encode()


def sign_rotation(jwks: dict[str, Any], signer: Signer) -> dict[str, Any]:
    """A rotation statement: the keys ``jwks``, vouched for by a trusted release key."""
    import_jwks(jwks)  # refuse a bad set before signing it
    return {"jwks": jwks, "signature": json.loads(sign_manifest(canonical(jwks), signer))}


def release_keys(install_file: Path, trust_list: dict[str, Any] | None) -> KeySet:
    """The install-time keys, plus a rotation's keys when an install-time key signed them."""
    base = import_jwks(install_file.read_bytes()) if install_file.exists() else KeySet()
    statement = (trust_list or {}).get(ROTATION_MEMBER)
    if not isinstance(statement, dict):
        return base
    try:
        jwks = statement["jwks"]
        check_signature(canonical(jwks), json.dumps(statement["signature"]).encode(), base)
        rotated = import_jwks(jwks)
    except (AppError, JwksError, KeyError, TypeError):
        return base  # an unsigned or forged rotation adds nothing
    trusted = KeySet(base)
    for key in rotated:
        trusted.add(key)
    return trusted
