"""A data folder left world-readable by an older version is made private at the next start."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from backend.shared.privacy import make_private


def test_an_open_folder_and_database_become_private(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir(mode=0o755)
    for name in ("platform.db", "platform.db-wal", "platform.db-shm"):
        (folder / name).write_bytes(b"x")
        os.chmod(folder / name, 0o644)
    before = os.umask(0o022)
    try:
        make_private(folder, "platform.db")
        created = folder / "new-file"
        created.write_bytes(b"y")
    finally:
        os.umask(before)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert {stat.S_IMODE((folder / n).stat().st_mode) for n in os.listdir(folder)} == {0o600}
    assert stat.S_IMODE(created.stat().st_mode) == 0o600
