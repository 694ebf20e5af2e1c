"""When the station backs itself up, where the files go, and pruning to the kept set.

One backup a day at the ``backup_hour`` local hour (the station's timezone setting, not the
machine's), and one before every migration. Backups are named ``<kind>-<local time>.kbak`` so
the folder lists in order and the policy (retention.py) can read them without opening them.
"""

from __future__ import annotations

import logging
import re
import threading
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine

from backend.shared import localtime
from backend.shared.migrations import pending_revisions

from ..clock import Clock
from ..settings import StationSettings
from ..version import VERSION
from .archive import SUFFIX, BackupResult, create_backup
from .retention import BackupEntry, backups_to_keep

log = logging.getLogger(__name__)
_NAME = re.compile(r"^(daily|manual|migration)-(\d{8}-\d{6})\.kbak$")
STAMP = "%Y%m%d-%H%M%S"


def backup_path(folder: Path, kind: str, now: datetime) -> Path:
    return folder / f"{kind}-{localtime.to_local(now).strftime(STAMP)}{SUFFIX}"


def list_backups(folder: Path) -> list[BackupEntry]:
    """The station's own backups in ``folder`` (other files are left alone), oldest first."""
    entries = []
    for path in folder.glob(f"*{SUFFIX}") if folder.is_dir() else ():
        match = _NAME.match(path.name)
        if match:
            taken = datetime.strptime(match.group(2), STAMP)
            entries.append(BackupEntry(path.name, taken, match.group(1)))
    return sorted(entries, key=lambda e: e.taken_at)


def prune_backups(settings: StationSettings) -> list[str]:
    """Delete the station's backups the policy does not keep; return their names."""
    folder = settings.backups_dir
    entries = list_backups(folder)
    keep = backups_to_keep(entries, daily=settings.backup_keep_daily, weekly=settings.backup_keep_weekly)
    dropped = [e.name for e in entries if e.name not in keep]
    for name in dropped:
        (folder / name).unlink(missing_ok=True)
    return dropped


def take_backup(settings: StationSettings, *, kind: str, now: datetime) -> BackupResult:
    """Back the station up into its backups folder, then prune to the kept set."""
    result = create_backup(data_dir=settings.data_dir, station_id=settings.station_id, kind=kind, now=now,
                           out=backup_path(settings.backups_dir, kind, now), app_version=VERSION)
    dropped = prune_backups(settings)
    log.info("%s backup written: %s (%d bytes of database); pruned %d", kind, result.path.name,
             result.database_bytes, len(dropped))
    return result


def daily_due(now_local: datetime, *, hour: int, last: datetime | None) -> bool:
    """Is a daily backup due: none yet at all, or the hour has come and none was taken today
    (local times)? A new station has a backup from its first start, not from its first night."""
    if last is None:
        return True
    return now_local.hour >= hour and last.date() < now_local.date()


def backup_before_migration(settings: StationSettings, engine: Engine, script_location: Path,
                            now: datetime) -> BackupResult | None:
    """Before migrating an existing database, keep a copy of it as it was."""
    if not (settings.data_dir / "station.db").is_file():
        return None
    current, pending = pending_revisions(engine, script_location)
    if current is None or not pending:
        return None  # a new database, or nothing to migrate
    log.info("migrating from %s: %d migration(s); backing up first", current, len(pending))
    return take_backup(settings, kind="migration", now=now)


class DailyBackups:
    """Takes the daily backup once the local hour has come; checks once a minute."""

    def __init__(self, settings: StationSettings, clock: Clock, interval: float = 60) -> None:
        self._settings, self._clock, self._interval = settings, clock, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="daily-backup", daemon=True)
        self.last_error = ""

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    def run_once(self) -> BackupResult | None:
        now = self._clock.now()
        daily = [e for e in list_backups(self._settings.backups_dir) if e.kind == "daily"]
        last = daily[-1].taken_at if daily else None
        if not daily_due(localtime.to_local(now).replace(tzinfo=None), hour=self._settings.backup_hour,
                         last=last):
            return None
        return take_backup(self._settings, kind="daily", now=now)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
                self.last_error = ""
            except Exception as err:  # a failed backup is retried at the next check
                self.last_error = str(err)[:200]
                log.exception("daily backup failed")
            self._stop.wait(self._interval)
