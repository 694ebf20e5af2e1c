"""Telling the station which of its processes the supervisor put out of service (and which came
back), so the station reports it to the platform through its outbox. Reports wait, and are
retried, while the station itself is away."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import httpx

from backend.station.api.caller import token_path

from .supervisor import Change

log = logging.getLogger(__name__)
RETRY_SECONDS = 1.0


class PartReports:
    """A supervisor listener that delivers out-of-service / running reports on a thread."""

    def __init__(self, station_url: str, data_dir: Path) -> None:
        self.station_url, self.data_dir = station_url.rstrip("/"), data_dir
        self._pending: dict[str, tuple[str, str]] = {}  # part → (state, detail), the latest only
        self._down: set[str] = set()
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="part-reports", daemon=True)
        self._thread.start()

    def __call__(self, change: Change) -> None:
        with self._lock:
            if change.what == "out_of_service":
                self._down.add(change.part)
                self._pending[change.part] = ("out_of_service", change.detail)
            elif change.what == "alive" and change.part in self._down:
                self._down.discard(change.part)
                self._pending[change.part] = ("running", "")
            else:
                return
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(5)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(RETRY_SECONDS)
            self._wake.clear()
            with self._lock:
                pending = dict(self._pending)
            for part, (state, detail) in pending.items():
                if self._deliver(part, state, detail):
                    with self._lock:
                        if self._pending.get(part) == (state, detail):
                            del self._pending[part]

    def _deliver(self, part: str, state: str, detail: str) -> bool:
        try:
            token = token_path(self.data_dir).read_text().strip()
            response = httpx.put(f"{self.station_url}/api/station/parts/{part}",
                                 json={"state": state, "detail": detail}, timeout=2,
                                 headers={"Authorization": f"Bearer {token}"})
        except (OSError, httpx.HTTPError):
            return False  # the station is away: try again
        if response.status_code != 200:
            log.warning("the station refused the report on %s: %s", part, response.text[:200])
        return response.status_code < 500 and response.status_code != 401  # 401: a new token
