"""Threads that watch devices: a health coordinator per device (after Home Assistant's
DataUpdateCoordinator) that polls with a timeout, and watchers that deliver card reads and scans."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from devices.errors import DeviceError
from devices.model import ComponentStatus, StatusCode

from .component import Component

log = logging.getLogger(__name__)


class DeviceWorker:
    """Runs ``step`` every ``interval`` seconds on its own thread, bounded by ``timeout``."""

    def __init__(self, component: Component, step: Callable[[], ComponentStatus], *,
                 interval: float, timeout: float) -> None:
        self.component = component
        self._step = step
        self.interval = interval
        self.timeout = timeout
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"watch-{component.info.id}",
                                        daemon=True)
        self._executor = ThreadPoolExecutor(1, thread_name_prefix=f"io-{component.info.id}")
        self._pending: Future[ComponentStatus] | None = None

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout=5)
        self._executor.shutdown(wait=False, cancel_futures=True)

    def poll_now(self) -> None:
        """Ask for a poll at once instead of at the next interval."""
        self._wake.set()

    def run_once(self) -> ComponentStatus:
        """Poll once and report the outcome; a hung device becomes TIMEOUT, not a hung thread."""
        if self._pending is not None and not self._pending.done():
            status = ComponentStatus.unavailable(StatusCode.NOT_RESPONDING,
                                                 "the previous request has not returned")
        else:
            self._pending = self._executor.submit(self._guarded_step)
            try:
                status = self._pending.result(timeout=self.timeout)
            except FutureTimeout:
                status = ComponentStatus.unavailable(StatusCode.TIMEOUT,
                                                     f"no answer within {self.timeout:g} s")
        self.component.report(status)
        return status

    def _guarded_step(self) -> ComponentStatus:
        try:
            with self.component.lock:
                return self._step()
        except DeviceError as err:
            return ComponentStatus.unavailable(err.status_code, str(err))
        except Exception as err:  # a driver bug must not kill the watcher
            log.exception("unexpected error watching %s", self.component.info.id)
            return ComponentStatus.unavailable(StatusCode.HARDWARE_ERROR, repr(err))

    def _run(self) -> None:
        while not self._stop.is_set():
            self.run_once()
            self._wake.wait(self.interval)
            self._wake.clear()

