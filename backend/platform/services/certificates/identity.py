"""Resident QR codes (居民码): the platform's stand-in for the national CTID network identity code.

The platform holds an identity signing key that signs nothing else: ``<data dir>/keys/identity/
identity.pem`` (folder 0700, file 0600). Its public JWKS goes to every station in the enrolment
answer and as an ``identity`` change; stations verify resident QR codes offline with it and
nothing else. Codes are minted for residents of the register (a keyed hash, never the number).

Where a real identity service exists, it replaces this behind the station's ``IdentityProvider``
seam; the minting endpoints here exist only in the demo environment.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from backend.shared.protocol import ChangeKind
from backend.shared.resident_qr import DEFAULT_TTL, mint_resident_qr
from backend.shared.tokens import ExportableSigner, export_jwks, generate_signer, load_signer, save_signer

from ...db.register_models import Resident
from .. import changes

KEY_FILE = Path("identity") / "identity.pem"


class IdentityKeys:
    """The platform's identity key, created once (the first process to start wins a race)."""

    def __init__(self, keys_dir: Path) -> None:
        self.path = keys_dir / KEY_FILE
        self.signer = _load_or_create(self.path)

    def jwks(self) -> dict[str, Any]:
        """The public key as a JWKS (RFC 7517 / 8037), for stations."""
        return export_jwks([self.signer.public_key])


@cache
def identity_keys(keys_dir: Path) -> IdentityKeys:
    """The identity keys of a data folder, loaded once per process."""
    return IdentityKeys(keys_dir)


def _load_or_create(path: Path) -> ExportableSigner:
    if path.exists():
        return load_signer(path)
    fresh = save_signer(generate_signer(), path.with_name(f".{path.name}.new.{os.getpid()}"))
    try:
        os.link(fresh, path)  # fails if another worker made it first: then theirs is the key
    except FileExistsError:
        pass
    finally:
        fresh.unlink()
    return load_signer(path)


def publish_identity_keys(session: Session, *, jwks: dict[str, Any], now: datetime) -> int | None:
    """Publish the identity JWKS to every station if it changed; return the change's cursor."""
    return changes.publish_if_changed(session, kind=ChangeKind.IDENTITY, key="identity", payload=jwks,
                                      now=now)


def resident_qr(keys: IdentityKeys, resident: Resident, *, issuer: str, now: datetime,
                ttl: timedelta = DEFAULT_TTL) -> dict[str, Any]:
    """Mint a one-time resident QR code for a register entry."""
    token = mint_resident_qr(keys.signer, issuer=issuer, id_hash=resident.id_hash, name=resident.name,
                             id_masked=resident.id_masked, community_code=resident.community_code,
                             now=now, ttl=ttl)
    return {"token": token, "expires_at": (now + ttl).isoformat(), "name": resident.name,
            "id_masked": resident.id_masked, "community_code": resident.community_code}

