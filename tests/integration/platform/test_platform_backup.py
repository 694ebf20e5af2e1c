"""``kiosk platform backup`` on SQLite (online copy) and PostgreSQL (pg_dump custom format), and
the documented restore of each brings back the same rows."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from backend.platform.runtime import build_runtime
from backend.platform.settings import database_url, load_settings
from support.postgres import fresh_database, server_url
from support.stack import REPO, kiosk

TABLES = ("users", "org_units")


def _counts(url: str) -> dict[str, int]:
    engine = create_engine(database_url(url))
    try:
        with engine.connect() as connection:
            return {t: int(connection.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()) for t in TABLES}
    finally:
        engine.dispose()


def _backup(*args: str) -> Path:
    done = subprocess.run(kiosk("platform", "backup", *args), capture_output=True, text=True, cwd=REPO,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    return Path(done.stdout.strip())


def test_sqlite_backup_is_a_checked_copy_that_restores_by_copying_it_back(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path / "platform")
    build_runtime(settings).engine.dispose()
    before = _counts(settings.effective_database_url)
    assert all(before.values())

    path = _backup("--data-dir", str(settings.data_dir))
    assert path.parent == settings.data_dir / "backups" and path.suffix == ".db"
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    restored = tmp_path / "restored" / "platform.db"  # docs: stop the platform, copy the file back
    restored.parent.mkdir()
    shutil.copy(path, restored)
    assert _counts(f"sqlite:///{restored}") == before


@pytest.mark.postgres
def test_postgres_backup_is_a_pg_dump_that_pg_restore_brings_back(tmp_path: Path) -> None:
    server = server_url()
    with fresh_database(server, "kiosk_backup") as source, fresh_database(server, "kiosk_restore") as target:
        settings = load_settings(data_dir=tmp_path / "platform", database_url=source)
        build_runtime(settings).engine.dispose()
        before = _counts(source)
        path = _backup("--data-dir", str(settings.data_dir), "--database-url", source,
                       "--out", str(tmp_path / "platform.dump"))
        assert path.read_bytes()[:5] == b"PGDMP"  # the custom format
        subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={target}", str(path)],
                       check=True, capture_output=True, timeout=300)
        assert _counts(target) == before
