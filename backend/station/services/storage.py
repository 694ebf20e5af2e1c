"""The station's storage: low disk space and a full disk.

Low space (below ``disk_low_mb``) is reported to the platform (the heartbeat's ``storage``
component, which opens an alert there) and makes the station prune what policy allows: old
receipt renderings, screenshots, backups beyond the kept set.

A write that fails because the disk is full (SQLite's "database or disk is full") is rolled back
whole — the fact and its outbox event were in one transaction — and becomes ``station.storage_full``
(503) for the caller. From then on the services that write are out of service with that reason;
every check probes with a rolled-back write, and they come back by themselves once it succeeds.
"""

from __future__ import annotations

import errno
import logging
import shutil
import sqlite3
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, text
from sqlalchemy.orm import Session, sessionmaker

from backend.shared.errors import AppError, define

from ..db.session import write_transaction
from ..settings import StationSettings

log = logging.getLogger(__name__)

STORAGE_FULL = define(
    "station.storage_full", 503, "服务站存储空间已满，相关服务暂停，空间恢复后自动恢复。",
    "The kiosk's storage is full: services that save records are paused and resume by themselves "
    "when space returns.")
FULL_REASON = "storage full"
PROBE_BYTES = 64 * 1024  # a probe write as large as a big certificate with its events
RENDERINGS_KEPT_SECONDS = 24 * 3600  # receipt renderings and screenshots younger than this stay
PRUNABLE = ("sim/printer/jobs", "screenshots")  # under the data folder


def is_disk_full(err: BaseException | None) -> bool:
    """Did this error come from a full disk (or a database at its size limit)?"""
    while err is not None:
        if isinstance(err, sqlite3.OperationalError) and "database or disk is full" in str(err):
            return True
        if isinstance(err, OSError) and err.errno == errno.ENOSPC:
            return True
        err = err.__cause__ or getattr(err, "orig", None)
    return False


@dataclass(frozen=True)
class StorageReport:
    state: str  # READY or UNAVAILABLE
    code: str  # OK, MEDIA_LOW (little space left), MEDIA_EMPTY (full: writes fail)
    detail: str
    free_bytes: int


class StorageGuard:
    """Watches the data folder's disk and the database's writes."""

    def __init__(self, settings: StationSettings, engine: Engine, db: sessionmaker[Session]) -> None:
        self.settings, self.engine, self.db = settings, engine, db
        self.full_since: float | None = None  # time.monotonic() of the failed write
        self.full_detail = ""
        self.free_bytes = 0
        self.pruned: list[str] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        event.listen(engine, "handle_error", self._on_error)

    def start(self, interval: float = 30, while_full: float = 5) -> None:
        """Check now, then every ``interval`` seconds (``while_full`` while writes fail)."""
        def run() -> None:
            while not self._stop.is_set():
                try:
                    self.check()
                except Exception:  # a failed check must not stop the next one
                    log.exception("storage check failed")
                self._stop.wait(while_full if self.full_since is not None else interval)

        self._thread = threading.Thread(target=run, name="storage-guard", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    @property
    def fault(self) -> str | None:
        """Why the writing services are out of service, or None."""
        return FULL_REASON if self.full_since is not None else None

    def _on_error(self, context: Any) -> None:
        if not is_disk_full(context.original_exception):
            return
        with self._lock:
            if self.full_since is None:
                log.error("storage full: %s; services that save records are paused",
                          context.original_exception)
                self.full_since = time.monotonic()
            self.full_detail = str(context.original_exception)[:200]
        raise AppError(STORAGE_FULL, detail=self.full_detail) from context.original_exception

    def check(self) -> StorageReport:
        """Measure free space, prune when low, and probe a full database; return the state."""
        self.free_bytes = shutil.disk_usage(self.settings.data_dir).free
        if self.low:
            self.pruned = prune_for_space(self.settings, now=time.time())
            self.free_bytes = shutil.disk_usage(self.settings.data_dir).free
        if self.full_since is not None and self.probe():
            log.warning("storage has room again; services resume")
            self.full_since = None
        return self.report()

    @property
    def low(self) -> bool:
        return self.free_bytes < self.settings.disk_low_mb * 1024 * 1024

    def probe(self) -> bool:
        """Can the database take a write now? (A real write, always rolled back.)"""
        try:
            with write_transaction(self.db) as session:
                session.execute(text("INSERT OR REPLACE INTO sync_state (key, value, updated_at) "
                                     "VALUES ('storage_probe', :value, CURRENT_TIMESTAMP)"),
                                {"value": '"' + "0" * PROBE_BYTES + '"'})
                raise _Probed
        except _Probed:
            return True
        except AppError as err:
            if err.code == STORAGE_FULL:
                return False
            raise

    def report(self) -> StorageReport:
        free_mb = self.free_bytes // (1024 * 1024)
        if self.full_since is not None:
            return StorageReport("UNAVAILABLE", "MEDIA_EMPTY",
                                 f"writes fail: {self.full_detail}; {free_mb} MB free", self.free_bytes)
        if self.low:
            return StorageReport("READY", "MEDIA_LOW",
                                 f"{free_mb} MB free, below {self.settings.disk_low_mb} MB", self.free_bytes)
        return StorageReport("READY", "OK", f"{free_mb} MB free", self.free_bytes)


class _Probed(Exception):
    """Raised inside the probe's transaction so that it rolls back."""


def prune_for_space(settings: StationSettings, *, now: float) -> list[str]:
    """Delete what policy allows when space is low; return the paths deleted (relative)."""
    from ..backup.schedule import prune_backups

    removed = [f"backups/{name}" for name in prune_backups(settings)]
    for folder in PRUNABLE:
        for path in _old_files(settings.data_dir / folder, now - RENDERINGS_KEPT_SECONDS):
            path.unlink(missing_ok=True)
            removed.append(str(path.relative_to(settings.data_dir)))
    if removed:
        log.warning("low on disk space: pruned %d file(s)", len(removed))
    return removed


def _old_files(folder: Path, before: float) -> Iterable[Path]:
    if not folder.is_dir():
        return []
    return [p for p in folder.rglob("*") if p.is_file() and p.stat().st_mtime < before]
