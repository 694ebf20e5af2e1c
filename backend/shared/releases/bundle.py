"""Release bundles on disk: write, sign, verify and unpack.

Only regular files with plain relative names are read from a bundle (no links, no ``..``, no
absolute paths), every file must match the manifest's SHA-256, and nothing is unpacked before
the signature and every hash have been checked. Writes go to a temporary file in the target's
folder and are renamed into place, so a bundle on disk is either whole or absent.
"""

from __future__ import annotations

import io
import os
import shutil
import tarfile
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from backend.shared.errors import AppError
from backend.shared.tokens.signing import KeySet, Signer

from .manifest import (
    DISK_FULL,
    MANIFEST,
    NOT_A_BUNDLE,
    SIGNATURE,
    TAMPERED,
    Manifest,
    check_applicable,
    check_signature,
    parse_manifest,
    sha256_hex,
    sign_manifest,
)

MAX_MEMBER = 512 * 1024 * 1024  # one wheel never comes near this


@dataclass(frozen=True)
class Bundle:
    """A bundle read into memory: its manifest bytes, signature and files."""

    manifest_bytes: bytes
    signature: bytes | None
    files: Mapping[str, bytes]

    @property
    def manifest(self) -> Manifest:
        return parse_manifest(self.manifest_bytes)


def write_bundle(path: Path, manifest: Manifest, files: Mapping[str, bytes],
                 signature: bytes | None = None) -> Path:
    """Write a bundle atomically; return its path."""
    members = {MANIFEST: manifest.to_bytes(), **({SIGNATURE: signature} if signature else {}),
               **dict(sorted(files.items()))}
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as raw, \
                tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
            for name, data in members.items():
                info = tarfile.TarInfo(name)
                info.size, info.mode, info.mtime = len(data), 0o644, 0
                tar.addfile(info, io.BytesIO(data))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def read_bundle(path: Path) -> Bundle:
    """Read a bundle; raise release.not_a_bundle for anything that is not a well-formed one."""
    members: dict[str, bytes] = {}
    try:
        with tarfile.open(path, mode="r:*") as tar:
            for info in tar:
                members[_safe_name(info)] = _read_member(tar, info)
    except (tarfile.TarError, OSError, EOFError) as err:
        raise AppError(NOT_A_BUNDLE, detail=str(err)) from err
    if MANIFEST not in members:
        raise AppError(NOT_A_BUNDLE, detail="no manifest.json")
    manifest_bytes = members.pop(MANIFEST)
    signature = members.pop(SIGNATURE, None)
    return Bundle(manifest_bytes, signature, members)


def sign_bundle(path: Path, signer: Signer) -> Path:
    """Add (or replace) the bundle's signature, atomically."""
    bundle = read_bundle(path)
    manifest = bundle.manifest
    signature = sign_manifest(manifest.to_bytes(), signer)
    if manifest.to_bytes() != bundle.manifest_bytes:
        raise AppError(NOT_A_BUNDLE, detail="manifest is not in canonical form")
    return write_bundle(path, manifest, bundle.files, signature)


def verify_bundle(path: Path, *, trusted: KeySet, role: str, running: str | None,
                  rollback: bool = False) -> Bundle:
    """Read a bundle and check signature, every hash and whether it applies; return it."""
    bundle = read_bundle(path)
    check_signature(bundle.manifest_bytes, bundle.signature, trusted)
    manifest = bundle.manifest
    _check_hashes(manifest, bundle.files)
    check_applicable(manifest, role=role, running=running, rollback=rollback)
    return bundle


def unpack(bundle: Bundle, target: Path) -> Path:
    """Write a verified bundle's files into a new folder ``target`` (all or nothing)."""
    free = shutil.disk_usage(target.parent if target.parent.exists() else Path("/")).free
    needed = sum(len(data) for data in bundle.files.values())
    if free < needed * 2:  # the files, and room to install from them
        raise AppError(DISK_FULL, detail=f"{free} bytes free, {needed * 2} needed")
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        for name, data in bundle.files.items():
            dest = staging / name
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(data)
        (staging / MANIFEST).write_bytes(bundle.manifest_bytes)
        os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def _check_hashes(manifest: Manifest, files: Mapping[str, bytes]) -> None:
    listed, present = set(manifest.files), set(files)
    if listed != present:
        odd = sorted(listed ^ present)
        raise AppError(TAMPERED, detail=f"files not as listed: {', '.join(odd[:5])}")
    for name, digest in manifest.files.items():
        if sha256_hex(files[name]) != digest:
            raise AppError(TAMPERED, detail=name)


def _safe_name(info: tarfile.TarInfo) -> str:
    name = PurePosixPath(info.name)
    if not info.isfile() or name.is_absolute() or ".." in name.parts or not name.parts:
        raise AppError(NOT_A_BUNDLE, detail=f"unexpected member {info.name!r}")
    if info.size > MAX_MEMBER:
        raise AppError(NOT_A_BUNDLE, detail=f"member {info.name!r} is too large")
    return str(name)


def _read_member(tar: tarfile.TarFile, info: tarfile.TarInfo) -> bytes:
    handle = tar.extractfile(info)
    if handle is None:
        raise AppError(NOT_A_BUNDLE, detail=f"unreadable member {info.name!r}")
    return handle.read()
