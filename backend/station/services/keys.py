"""The station's keys, all under ``<data dir>/keys`` with owner-only permissions:

    signing/<kid>.pem   Ed25519 signing keys; ``signing/current`` names the one in use. Old keys
                        stay, so certificates signed before a rotation still verify.
    trust.jwks.json     the trust list (other stations' public keys) cached from the platform
    identity.jwks.json  the platform's identity keys, which sign residents' QR codes
    idhash.key          the district key of the keyed hash that finds a resident by ID number
    idhash-community.key  this community's key, the hash's outer step (from enrolment)
    contact.pub         the platform's public key residents' contacts are sealed to (from enrolment)
    data.key            the AES-256-GCM key that encrypts ID numbers at rest
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from backend.shared.privacy import IdProtector, load_or_create_secret
from backend.shared.private_files import write_private_file
from backend.shared.tickets.contact import ContactSealer, load_sealer
from backend.shared.tokens import (
    ExportableSigner,
    KeyBinding,
    KeySet,
    PublicKey,
    export_jwks,
    generate_signer,
    import_jwks,
    load_signer,
    save_signer,
)

COMMUNITY_HASH_KEY = "idhash-community.key"
CONTACT_KEY = "contact.pub"


class StationKeys:
    """Loads the station's keys, creating what is missing on first start."""

    def __init__(self, keys_dir: Path) -> None:
        self.dir = keys_dir
        self.dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(self.dir, 0o700)
        community = self.dir / COMMUNITY_HASH_KEY  # none before enrolment: hashes are local only
        self.protector = IdProtector(load_or_create_secret(self.dir / "idhash.key"),
                                     load_or_create_secret(self.dir / "data.key"),
                                     community_key=community.read_bytes() if community.exists() else None)
        self._sealer: ContactSealer | None = None
        self._signers = self._load_signers()
        if not self._signers:
            self.rotate()

    @property
    def signer(self) -> ExportableSigner:
        current = (self.dir / "signing" / "current").read_text(encoding="ascii").strip()
        if current not in self._signers:  # rotated by `kiosk keys rotate` while we run
            self._signers = self._load_signers()
        return self._signers[current]

    def own_public_keys(self) -> list[PublicKey]:
        self.signer  # noqa: B018  (picks up a rotation made by another process)
        return [s.public_key for s in self._signers.values()]

    def rotate(self) -> ExportableSigner:
        """Start signing with a new key; earlier keys stay published for verification."""
        signer = generate_signer()
        kid = signer.kid.hex()
        save_signer(signer, self.dir / "signing" / f"{kid}.pem")
        write_private_file(self.dir / "signing" / "current", kid.encode())
        self._signers[kid] = signer
        return signer

    def contact_sealer(self) -> ContactSealer:
        """Seals residents' contacts to the platform: its key is read once, at the first use (a
        new enrolment replaces it, and the station restarts after one, as with every enrolled key)."""
        if self._sealer is None:
            self._sealer = load_sealer(self.dir / CONTACT_KEY)
        return self._sealer

    def jwks(self) -> dict[str, Any]:
        """The station's public keys as a JWKS (RFC 7517 / 8037)."""
        return export_jwks(self.own_public_keys())

    def trust(self, owner: KeyBinding | None = None) -> KeySet:
        """Every key a certificate may be signed with: the cached trust list and ours (bound to
        ``owner``, this station, since the platform's list may not have them yet)."""
        keys = KeySet()
        trust_file = self.dir / "trust.jwks.json"
        if trust_file.exists():
            listed = import_jwks(trust_file.read_bytes())
            for key in listed:
                keys.add(key, listed.binding(key.kid))
        for key in self.own_public_keys():
            keys.add(key, owner)
        return keys

    def identity_trust(self) -> KeySet:
        """The platform's identity keys: the only keys a resident QR code may be signed with."""
        path = self.dir / "identity.jwks.json"
        return import_jwks(path.read_bytes()) if path.exists() else KeySet()

    def save_identity_keys(self, jwks: dict[str, Any]) -> None:
        import_jwks(jwks)
        write_private_file(self.dir / "identity.jwks.json", json.dumps(jwks).encode())

    def save_trust_list(self, jwks: dict[str, Any]) -> None:
        import_jwks(jwks)  # refuse a bad list before replacing the good one
        write_private_file(self.dir / "trust.jwks.json", json.dumps(jwks).encode())

    def _load_signers(self) -> dict[str, ExportableSigner]:
        folder = self.dir / "signing"
        folder.mkdir(exist_ok=True, mode=0o700)
        return {p.stem: load_signer(p) for p in sorted(folder.glob("*.pem"))}

