"""Backing up the platform's database: SQLite's online backup API (a consistent copy while the
platform serves, integrity-checked), or ``pg_dump --format=custom`` for PostgreSQL (restore it with
``pg_restore``; see docs/operations.md). The file is written beside its destination and renamed
into place, so it is whole or absent."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from backend.shared.errors import AppError, define

from .settings import PlatformSettings

BACKUP_FAILED = define("platform.backup_failed", 500, "平台数据库备份失败。",
                       "The platform's database backup failed.")
PG_DUMP_MISSING = define("platform.pg_dump_missing", 500, "未找到 pg_dump，请安装 postgresql-client。",
                         "pg_dump was not found: install postgresql-client.")


@dataclass(frozen=True)
class PlatformBackup:
    path: Path
    kind: str  # sqlite or pg_dump
    bytes: int


def backup_platform(settings: PlatformSettings, out: Path) -> PlatformBackup:
    """Write a backup of the platform's database to ``out``."""
    out.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(name)
    try:
        kind = _sqlite(settings, tmp) if settings.is_sqlite else _pg_dump(settings, tmp)
        os.chmod(tmp, 0o600)
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return PlatformBackup(out, kind, out.stat().st_size)


def _sqlite(settings: PlatformSettings, target: Path) -> str:
    source_path = make_url(settings.effective_database_url).database or ""
    if not Path(source_path).is_file():
        raise AppError(BACKUP_FAILED, detail=f"no database at {source_path}")
    source, copy = sqlite3.connect(source_path, timeout=30), sqlite3.connect(target)
    try:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
        verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        source.close()
        copy.close()
    if verdict != "ok":
        raise AppError(BACKUP_FAILED, detail=f"integrity check: {verdict}")
    return "sqlite"


def _pg_dump(settings: PlatformSettings, target: Path) -> str:
    program = shutil.which("pg_dump")
    if program is None:
        raise AppError(PG_DUMP_MISSING)
    url = make_url(settings.effective_database_url).set(drivername="postgresql")
    done = subprocess.run([program, "--format=custom", "--no-owner", f"--file={target}",
                           f"--dbname={url.render_as_string(hide_password=False)}"],
                          capture_output=True, text=True, timeout=3600, check=False)
    if done.returncode != 0:
        raise AppError(BACKUP_FAILED, detail=done.stderr.strip()[-300:])
    return "pg_dump"
