"""Bringing a data folder back from a backup.

Refused while a station runs on the folder, for a file that is not a station backup, is damaged,
or belongs to another station. Otherwise everything is unpacked and checked in a new folder
beside the target (same file system), and only then swapped in with renames; the folder it
replaces is kept as ``<name>.before-restore-<time>``. Logs and backups move over to the new folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

from backend.shared.errors import AppError

from ..lock import running_pid
from .archive import (
    DATABASE,
    MANIFEST,
    SEALED_KEYS,
    Manifest,
    checked_copy,
    integrity_of,
    open_archive,
    read_manifest,
)
from .errors import CORRUPT, FOREIGN, STATION_RUNNING, WRONG_STATION
from .sealed import open_keys, secret_key_files

CARRIED_FOLDERS = ("logs", "backups")  # history of the machine, not of the backup
DISPOSABLE = frozenset({"cache", "station.lock"})  # a folder with only these holds nothing to keep


@dataclass(frozen=True)
class RestoreResult:
    data_dir: Path
    manifest: Manifest
    keys: str  # "restored", "kept" (the folder's own), "none" (the station makes new ones)
    previous: Path | None  # where the replaced folder was kept


def restore_backup(archive: Path, *, data_dir: Path, now: datetime, passphrase: str | None = None,
                   expected_station: str | None = None) -> RestoreResult:
    """Restore ``archive`` into ``data_dir``; ``expected_station``: the id the folder belongs to."""
    pid = running_pid(data_dir)
    if pid is not None:
        raise AppError(STATION_RUNNING, detail=f"pid {pid}" if pid else "")
    with open_archive(archive) as tar:
        manifest = read_manifest(tar)
        owner = expected_station or folder_station(data_dir)
        if owner and owner != manifest.station_id:
            raise AppError(WRONG_STATION, detail=f"backup of {manifest.station_id}, folder of {owner}")
        data_dir.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(dir=data_dir.parent, prefix=f".{data_dir.name}.restore-"))
        try:
            _unpack(tar, manifest, work)
            keys = _keys(tar, manifest, work, data_dir, passphrase)
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
    previous = _swap_in(work, data_dir, now)
    return RestoreResult(data_dir, manifest, keys, previous)


def folder_station(data_dir: Path) -> str:
    """The id of the station whose data is in the folder ("" when it holds none we can name)."""
    try:
        return str(json.loads((data_dir / "enrolment.json").read_text())["station_id"])
    except (OSError, ValueError, KeyError):
        return ""


def _unpack(tar: tarfile.TarFile, manifest: Manifest, work: Path) -> None:
    seen: set[str] = set()
    for member in tar:
        name = member.name
        if name == SEALED_KEYS:
            seen.add(name)  # opened with the passphrase, later
        if name in (MANIFEST, SEALED_KEYS):
            continue
        if name not in manifest.files or not member.isfile() or not _plain(name):
            raise AppError(FOREIGN, detail=f"unexpected member {name!r}")
        target = work / (DATABASE if name == DATABASE else name.removeprefix("files/"))
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        source = tar.extractfile(member)
        assert source is not None
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out:
            checked_copy(source, out, manifest.files[name], name)
        seen.add(name)
    missing = set(manifest.files) - seen
    if missing:
        raise AppError(CORRUPT, detail=f"missing {', '.join(sorted(missing))}")
    connection = sqlite3.connect(work / DATABASE)
    try:
        verdict = integrity_of(connection)
    finally:
        connection.close()
    if verdict != "ok":
        raise AppError(CORRUPT, detail=f"database: {verdict[:200]}")


def _keys(tar: tarfile.TarFile, manifest: Manifest, work: Path, data_dir: Path,
          passphrase: str | None) -> str:
    if manifest.keys is not None:
        member = tar.getmember(SEALED_KEYS)
        source = tar.extractfile(member)
        assert source is not None
        sealed = source.read()
        if hashlib.sha256(sealed).hexdigest() != manifest.files[SEALED_KEYS]["sha256"]:
            raise AppError(CORRUPT, detail=SEALED_KEYS)
        open_keys(sealed, manifest.keys, passphrase=passphrase, station_id=manifest.station_id,
                  keys_dir=work / "keys")
        return "restored"
    own = secret_key_files(data_dir / "keys")
    for path in own:  # the same station on the same machine: keep the keys it has
        target = work / "keys" / path.relative_to(data_dir / "keys")
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        shutil.copy2(path, target)
        os.chmod(target, 0o600)
    return "kept" if own else "none"


def _swap_in(work: Path, data_dir: Path, now: datetime) -> Path | None:
    previous = None
    if data_dir.exists():
        for name in CARRIED_FOLDERS:
            if (data_dir / name).is_dir():
                os.replace(data_dir / name, work / name)
        if {p.name for p in data_dir.iterdir()} <= DISPOSABLE:
            shutil.rmtree(data_dir)  # a new folder (the kiosk command made its cache there)
        else:
            previous = data_dir.with_name(f"{data_dir.name}.before-restore-{now.strftime('%Y%m%dT%H%M%S')}")
            os.replace(data_dir, previous)
    os.replace(work, data_dir)
    os.chmod(data_dir, 0o700)
    return previous


def _plain(name: str) -> bool:
    path = PurePosixPath(name)
    inside = not path.is_absolute() and ".." not in path.parts
    return inside and (name == DATABASE or name.startswith("files/"))
