"""``kiosk backup`` while the station runs, ``kiosk restore`` refused while it runs and accepted
into a new folder — real processes, as a technician types them."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

from support.stack import REPO, Station, kiosk


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(kiosk(*args), capture_output=True, text=True, cwd=REPO, timeout=120)


def test_backup_online_and_restore_refused_while_running_then_into_a_new_folder(
        running_station: Station, tmp_path: Path) -> None:
    data_dir = running_station.data_dir
    done = _run("backup", "--data-dir", str(data_dir), "--out", str(tmp_path / "station.kbak"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(tmp_path / "station.kbak")

    refused = _run("restore", str(tmp_path / "station.kbak"), "--data-dir", str(data_dir))
    assert refused.returncode == 1
    assert "backup.station_running" in refused.stderr and "stop it first" in refused.stderr
    assert "服务站程序正在运行" in refused.stderr

    target = tmp_path / "restored"
    restored = _run("restore", str(tmp_path / "station.kbak"), "--data-dir", str(target))
    assert restored.returncode == 0, restored.stderr
    assert f"into {target}" in restored.stdout
    with sqlite3.connect(target / "station.db") as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert connection.execute("SELECT count(*) FROM residents").fetchone()[0] > 0  # the demo register


def test_a_file_that_is_not_a_backup_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    bogus = tmp_path / "photo.jpg"
    bogus.write_bytes(b"\xff\xd8\xff\xe0 not a backup" * 100)
    refused = _run("restore", str(bogus), "--data-dir", str(tmp_path / "data"))
    assert refused.returncode == 1
    assert "backup.unreadable" in refused.stderr and "cannot be read" in refused.stderr
