"""A release bundle's manifest and its Ed25519 signature.

A bundle is a tar archive holding ``manifest.json`` (what the release is and the SHA-256 of every
other file), ``manifest.sig`` (a detached signature over the manifest's exact bytes) and the files
themselves (the project's wheel and its dependencies' wheels, the pinned constraints). Stations
trust release keys set at install and rotated through the trust list; the private key stays on a
staff laptop (``kiosk release sign``), never on the platform.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from packaging.version import InvalidVersion, Version

from backend.shared.errors import AppError, define
from backend.shared.tokens.b64url import b64url_decode, b64url_encode
from backend.shared.tokens.signing import EDDSA, SCHEMES, KeySet, Signer

FORMAT = "kiosk-release/1"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
ROLES = ("station", "platform")

NOT_A_BUNDLE = define("release.not_a_bundle", 422, "这不是可识别的升级包。",
                      "This is not a release bundle this station can read.")
UNSIGNED = define("release.unsigned", 422, "升级包没有签名，已拒绝。",
                  "The release bundle is not signed; refused.")
UNKNOWN_KEY = define("release.unknown_key", 422, "升级包的签名密钥不受信任，已拒绝。",
                     "The release is signed with a key this station does not trust; refused.")
BAD_SIGNATURE = define("release.bad_signature", 422, "升级包签名无效，已拒绝。",
                       "The release bundle's signature is not valid; refused.")
TAMPERED = define("release.tampered", 422, "升级包中的文件被改动或缺失，已拒绝。",
                  "A file in the release bundle was changed or is missing; refused.")
DOWNGRADE = define("release.downgrade", 422, "升级包版本低于当前版本（未标记为回退），已拒绝。",
                   "The release is older than the one running and is not marked as a rollback; refused.")
TOO_OLD = define("release.previous_too_old", 422, "当前版本太旧，不能直接升级到此版本。",
                 "The running version is too old to update to this release directly.")
WRONG_ROLE = define("release.wrong_role", 422, "升级包不适用于本机的角色，已拒绝。",
                    "The release bundle is for another role; refused.")
DISK_FULL = define("release.disk_full", 507, "磁盘空间不足，无法安装升级包。",
                   "Not enough disk space to install the release.")


@dataclass(frozen=True)
class Manifest:
    """What a release is: its version, roles, schemas and the hash of every file."""

    version: str
    roles: tuple[str, ...]
    files: Mapping[str, str]  # path in the bundle -> sha256 hex
    sizes: Mapping[str, int] = field(default_factory=dict)
    min_previous_version: str = "0"
    schemas: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    python: str = ""
    created_at: str = ""

    def to_bytes(self) -> bytes:
        document = {"format": FORMAT, "version": self.version, "roles": list(self.roles),
                    "min_previous_version": self.min_previous_version,
                    "schemas": {k: dict(v) for k, v in self.schemas.items()},
                    "python": self.python, "created_at": self.created_at,
                    "files": {path: {"sha256": digest, "size": self.sizes.get(path, 0)}
                              for path, digest in sorted(self.files.items())}}
        return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True).encode()

    @property
    def unpacked_size(self) -> int:
        return sum(self.sizes.values())


def parse_manifest(data: bytes) -> Manifest:
    """Read a manifest; raise release.not_a_bundle when it is not one."""
    try:
        doc = json.loads(data)
        if doc.get("format") != FORMAT:
            raise ValueError(f"format {doc.get('format')!r}")
        Version(doc["version"])
        files = {str(p): str(entry["sha256"]) for p, entry in doc["files"].items()}
        sizes = {str(p): int(entry.get("size", 0)) for p, entry in doc["files"].items()}
        return Manifest(version=doc["version"], roles=tuple(doc["roles"]), files=files, sizes=sizes,
                        min_previous_version=str(doc.get("min_previous_version", "0")),
                        schemas=doc.get("schemas", {}), python=str(doc.get("python", "")),
                        created_at=str(doc.get("created_at", "")))
    except (ValueError, KeyError, TypeError, AttributeError, InvalidVersion) as err:
        raise AppError(NOT_A_BUNDLE, detail=f"manifest: {err}") from err


def sign_manifest(manifest_bytes: bytes, signer: Signer) -> bytes:
    """Return the detached signature document over the manifest's exact bytes."""
    signature = {"alg": "EdDSA" if signer.alg == EDDSA else str(signer.alg),
                 "kid": b64url_encode(signer.kid), "sig": b64url_encode(signer.sign(manifest_bytes))}
    return json.dumps(signature, sort_keys=True).encode()


def check_signature(manifest_bytes: bytes, signature_bytes: bytes | None, trusted: KeySet) -> None:
    """Raise unless the manifest is signed by a trusted release key."""
    if not signature_bytes:
        raise AppError(UNSIGNED)
    try:
        doc: dict[str, Any] = json.loads(signature_bytes)
        kid = b64url_decode(doc["kid"])
        sig = b64url_decode(doc["sig"])
    except (ValueError, KeyError, TypeError) as err:
        raise AppError(BAD_SIGNATURE, detail=str(err)) from err
    key = trusted.get(kid)
    if key is None:
        raise AppError(UNKNOWN_KEY, detail=f"kid {doc['kid']}")
    if not SCHEMES[key.alg].verify(key.spki, manifest_bytes, sig):
        raise AppError(BAD_SIGNATURE)


def check_applicable(manifest: Manifest, *, role: str, running: str | None,
                     rollback: bool = False) -> None:
    """Raise unless this release may replace ``running`` on a machine of ``role``."""
    if role not in manifest.roles:
        raise AppError(WRONG_ROLE, detail=f"bundle for {', '.join(manifest.roles)}, this is {role}")
    if running is None:
        return
    new, old = Version(manifest.version), Version(running)
    if new < old and not rollback:
        raise AppError(DOWNGRADE, detail=f"{manifest.version} < {running}")
    if old < Version(manifest.min_previous_version):
        raise AppError(TOO_OLD, detail=f"{running} < {manifest.min_previous_version}")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
