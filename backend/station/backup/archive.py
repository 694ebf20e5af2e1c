"""Writing and reading a station backup.

A backup is a tar file whose first member is ``manifest.json``:

    manifest.json   format, station id, versions, when, why, and the SHA-256 of every member
    station.db      an online copy of the database (SQLite backup API, integrity-checked)
    files/...       what the station needs to come back: enrolment.json, kiosk.toml, the public
                    trust lists in keys/
    keys.sealed     only with --include-keys: the secret keys, encrypted (see sealed.py)

The database is copied with SQLite's backup API in one step, inside one read transaction, so the
copy is a consistent snapshot while the station keeps serving. The archive is written to a
temporary file beside its destination and renamed into place: it is whole or absent.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import tarfile
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from backend.shared.errors import AppError

from .errors import CORRUPT, FOREIGN, INTEGRITY, NO_DATABASE, UNREADABLE
from .sealed import PUBLIC_KEY_FILES, seal_keys

FORMAT = "kiosk-station-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE = "station.db"
SEALED_KEYS = "keys.sealed"
SUFFIX = ".kbak"
# Files of the data folder a station needs to come back (besides the database and the keys).
CARRIED_FILES = ("enrolment.json", "kiosk.toml", *(f"keys/{name}" for name in sorted(PUBLIC_KEY_FILES)))


@dataclass(frozen=True)
class Manifest:
    station_id: str
    created_at: str
    kind: str
    app_version: str
    schema_revision: str
    files: dict[str, dict[str, Any]]  # member name -> sha256, size
    keys: dict[str, Any] | None = None  # sealing parameters when the keys are included
    format: str = FORMAT
    format_version: int = FORMAT_VERSION

    def as_json(self) -> bytes:
        return json.dumps(self.__dict__, ensure_ascii=False, indent=1).encode()


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: Manifest
    database_bytes: int
    integrity: str = "ok"
    extras: dict[str, Any] = field(default_factory=dict)


def create_backup(*, data_dir: Path, out: Path, station_id: str, now: datetime, kind: str = "manual",
                  include_keys: bool = False, passphrase: str | None = None,
                  app_version: str = "") -> BackupResult:
    """Write a backup of ``data_dir`` to ``out`` and return what was written."""
    database = data_dir / DATABASE
    if not database.is_file():
        raise AppError(NO_DATABASE, detail=str(database))
    out.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".backup-") as work:
        copy = Path(work) / DATABASE
        revision = copy_database(database, copy)
        members: dict[str, Path | bytes] = {DATABASE: copy}
        for name in CARRIED_FILES:
            if (data_dir / name).is_file():
                members[f"files/{name}"] = data_dir / name
        keys = None
        if include_keys:
            sealed, keys = seal_keys(data_dir / "keys", passphrase=passphrase or "", station_id=station_id)
            members[SEALED_KEYS] = sealed
        files = {name: _digest(source) for name, source in members.items()}
        manifest = Manifest(station_id=station_id, created_at=now.isoformat(), kind=kind,
                            app_version=app_version, schema_revision=revision, files=files, keys=keys)
        _write_archive(out, manifest, members)
    return BackupResult(out, manifest, files[DATABASE]["size"])


def copy_database(source: Path, target: Path) -> str:
    """Copy a live SQLite database consistently; check the copy; return its schema revision."""
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)  # pages=-1: one step, one snapshot, even while the station writes
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        verdict = integrity_of(dst)
        if verdict != "ok":
            raise AppError(INTEGRITY, detail=verdict[:200])
        return schema_revision(dst)
    finally:
        src.close()
        dst.close()


def integrity_of(connection: sqlite3.Connection) -> str:
    rows = connection.execute("PRAGMA integrity_check").fetchall()
    return "; ".join(str(r[0]) for r in rows)


def schema_revision(connection: sqlite3.Connection) -> str:
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        return ""
    return str(row[0]) if row else ""


def _digest(source: Path | bytes) -> dict[str, Any]:
    digest = hashlib.sha256()
    if isinstance(source, bytes):
        digest.update(source)
        return {"sha256": digest.hexdigest(), "size": len(source)}
    with open(source, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return {"sha256": digest.hexdigest(), "size": source.stat().st_size}


def _write_archive(out: Path, manifest: Manifest, members: dict[str, Path | bytes]) -> None:
    fd, tmp_name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as raw:
            with tarfile.open(fileobj=raw, mode="w") as tar:
                _add_bytes(tar, MANIFEST, manifest.as_json())
                for name, source in members.items():
                    if isinstance(source, bytes):
                        _add_bytes(tar, name, source)
                    else:
                        tar.add(source, arcname=name, recursive=False)
            raw.flush()
            os.fsync(raw.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode = len(data), 0o600
    tar.addfile(info, io.BytesIO(data))


# ---- reading ------------------------------------------------------------------------------------

def read_manifest(tar: tarfile.TarFile) -> Manifest:
    """Return the manifest of an open backup; refuse anything that is not one of ours."""
    try:
        first = tar.next()
    except (tarfile.TarError, OSError, EOFError) as err:
        raise AppError(UNREADABLE, detail=str(err)[:200]) from err
    if first is None or first.name != MANIFEST or not first.isfile() or first.size > 1 << 20:
        raise AppError(FOREIGN, detail="no manifest.json at the start")
    handle = tar.extractfile(first)
    assert handle is not None
    try:
        raw = json.loads(handle.read())
    except (ValueError, OSError, EOFError, tarfile.TarError) as err:
        raise AppError(FOREIGN, detail="manifest.json is not JSON") from err
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise AppError(FOREIGN, detail=f"format {raw.get('format') if isinstance(raw, dict) else None!r}")
    if raw.get("format_version") != FORMAT_VERSION:
        raise AppError(FOREIGN, detail=f"format version {raw.get('format_version')!r}, "
                       f"this kiosk reads {FORMAT_VERSION}")
    try:
        return Manifest(**{k: raw[k] for k in Manifest.__dataclass_fields__ if k in raw})
    except TypeError as err:
        raise AppError(FOREIGN, detail="manifest fields") from err


def open_archive(path: Path) -> tarfile.TarFile:
    """Open a backup file for reading, or refuse it as unreadable."""
    try:
        return tarfile.open(path, mode="r:")
    except (tarfile.TarError, OSError) as err:
        raise AppError(UNREADABLE, detail=f"{path}: {err}"[:200]) from err


def checked_copy(source: IO[bytes], target: IO[bytes], expected: dict[str, Any], name: str) -> None:
    """Copy a member while hashing it; refuse it when it is not what the manifest says."""
    digest, size = hashlib.sha256(), 0
    try:
        for chunk in iter(lambda: source.read(1 << 20), b""):
            digest.update(chunk)
            size += len(chunk)
            target.write(chunk)
    except (tarfile.TarError, OSError, EOFError) as err:
        raise AppError(UNREADABLE, detail=f"{name}: {err}"[:200]) from err
    if digest.hexdigest() != expected.get("sha256") or size != expected.get("size"):
        raise AppError(CORRUPT, detail=name)
