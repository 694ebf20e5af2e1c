"""What runs beside the station's API while it serves: the process lock, the storage guard, the
devices, housekeeping, daily backups, and — once enrolled — the sync worker and the updater.

The app composes them here (``create_app`` starts them with the server and stops them with it),
so the runtime holds state and nothing in it builds a worker.
"""

from __future__ import annotations

import logging
from typing import Protocol

from .backup.schedule import DailyBackups
from .lock import StationLock
from .runtime import StationRuntime
from .services.housekeeping import Housekeeper
from .services.storage import StorageGuard
from .sync.enrolment import Enrolment
from .sync.worker import SyncWorker
from .updates.service import UpdateService

log = logging.getLogger(__name__)


class Worker(Protocol):
    def start(self) -> None: ...

    def stop(self) -> None: ...


class StationWorkers:
    """Starts the station's background parts in order and stops them in the reverse."""

    def __init__(self, runtime: StationRuntime) -> None:
        self.runtime = runtime
        self._lock: StationLock | None = None
        self._workers: list[Worker] = []  # housekeeping, daily backups
        self._sync: SyncWorker | None = None
        self._updates: UpdateService | None = None

    def start(self) -> None:
        runtime = self.runtime
        self._lock = StationLock(runtime.settings.data_dir)
        if not self._lock.acquire():
            log.warning("another station process holds %s", self._lock.path)
        if runtime.storage is None:
            runtime.storage = StorageGuard(runtime.settings, runtime.engine, runtime.db)
        runtime.storage.start()
        runtime.devices.start()
        self._begin(Housekeeper(runtime.db, runtime.clock))
        self._begin(DailyBackups(runtime.settings, runtime.clock))
        if runtime.enrolment is not None:
            self._start_sync(runtime.enrolment)

    def stop(self) -> None:
        runtime = self.runtime
        if self._updates is not None:
            self._updates.stop()
            self._updates = None
        for worker in self._workers:
            worker.stop()
        self._workers.clear()
        if runtime.storage is not None:
            runtime.storage.stop()
            runtime.storage = None
        if self._sync is not None:
            self._sync.stop()
            self._sync = runtime.sync = None
        runtime.devices.stop()
        runtime.engine.dispose()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def _begin(self, worker: Worker) -> None:
        self._workers.append(worker)
        worker.start()

    def _start_sync(self, enrolment: Enrolment) -> None:
        runtime = self.runtime
        worker = self._sync = SyncWorker(runtime, enrolment)
        runtime.sync = worker
        if runtime.settings.update_root is not None:
            self._updates = UpdateService(runtime, sync=worker)
            runtime.release_version = self._updates.updater.running
            worker.on_update_offer = self._updates.offered
        worker.start()
        if self._updates is not None:
            self._updates.start()
