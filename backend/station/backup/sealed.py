"""The station's secret keys sealed with a passphrase: scrypt derives an AES-256-GCM key; the
salt and nonce travel in the backup's manifest, the station id is bound in as associated data."""

from __future__ import annotations

import io
import os
import tarfile
from pathlib import Path, PurePosixPath

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from backend.shared.errors import AppError

from .errors import CORRUPT, PASSPHRASE_REQUIRED, PASSPHRASE_WRONG

# scrypt cost: 2^15 × 8 × 128 B = 32 MB and ~0.1 s on a kiosk PC, per guess for an attacker too.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2 ** 15, 8, 1
KDF = {"name": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P}
# Public trust lists are ordinary backup files; everything else under keys/ is secret.
PUBLIC_KEY_FILES = frozenset({"trust.jwks.json", "identity.jwks.json"})


def secret_key_files(keys_dir: Path) -> list[Path]:
    """The station's secret key files (signing keys, request key, ID-number keys)."""
    if not keys_dir.is_dir():
        return []
    return sorted(p for p in keys_dir.rglob("*")
                  if p.is_file() and p.name not in PUBLIC_KEY_FILES and not p.name.endswith(".tmp"))


def seal_keys(keys_dir: Path, *, passphrase: str, station_id: str) -> tuple[bytes, dict[str, object]]:
    """Return the encrypted key files and the parameters needed to open them."""
    if not passphrase:
        raise AppError(PASSPHRASE_REQUIRED)
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for path in secret_key_files(keys_dir):
            tar.add(path, arcname=path.relative_to(keys_dir).as_posix(), recursive=False)
    salt, nonce = os.urandom(16), os.urandom(12)
    sealed = AESGCM(_derive(passphrase, salt)).encrypt(nonce, buffer.getvalue(), _aad(station_id))
    return sealed, {"kdf": KDF, "salt": salt.hex(), "nonce": nonce.hex()}


def open_keys(sealed: bytes, params: dict[str, object], *, passphrase: str | None, station_id: str,
              keys_dir: Path) -> int:
    """Decrypt the key files into ``keys_dir`` (folders 0700, files 0600); return how many."""
    if not passphrase:
        raise AppError(PASSPHRASE_REQUIRED, detail="the backup holds keys: give --passphrase")
    try:
        salt, nonce = bytes.fromhex(str(params["salt"])), bytes.fromhex(str(params["nonce"]))
    except (KeyError, ValueError) as err:
        raise AppError(CORRUPT, detail="key parameters") from err
    try:
        plain = AESGCM(_derive(passphrase, salt)).decrypt(nonce, sealed, _aad(station_id))
    except InvalidTag as err:
        raise AppError(PASSPHRASE_WRONG) from err
    count = 0
    with tarfile.open(fileobj=io.BytesIO(plain), mode="r") as tar:
        for member in tar.getmembers():
            name = PurePosixPath(member.name)
            if not member.isfile() or name.is_absolute() or ".." in name.parts:
                raise AppError(CORRUPT, detail=f"key member {member.name!r}")
            source = tar.extractfile(member)
            assert source is not None
            target = keys_dir.joinpath(*name.parts)
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as out:
                out.write(source.read())
            count += 1
    return count


def _derive(passphrase: str, salt: bytes) -> bytes:
    return Scrypt(salt=salt, length=32, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P).derive(passphrase.encode())


def _aad(station_id: str) -> bytes:
    return f"kiosk-station-keys/1|{station_id}".encode()
