"""The updater inside the running station (boot.py finishes a rollback before the database opens): once
serving, report a finished update, run a new release's health check, and in the background take
the release the heartbeat answer offers, prepare it, and switch in the rollout's local window when
no resident is at the kiosk.

Restarting is leaving: the process sends itself SIGTERM (a clean stop of the server) and whoever
runs it starts it again from ``current``: systemd (``Restart=always``) or the ``kiosk up``
supervisor. The boot guard runs before each start (guard.py).
"""

from __future__ import annotations

import logging
import threading
import time
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from alembic.script import ScriptDirectory

from backend.shared import localtime
from backend.shared.protocol import EventType
from backend.shared.releases.trust import release_keys
from backend.shared.tokens.signing import KeySet

from ..db.session import write_transaction
from ..services import outbox
from . import journal
from .boot import station_updater
from .updater import Offer, database_revision, in_window

if TYPE_CHECKING:
    from ..runtime import StationRuntime
    from ..sync.worker import SyncWorker

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"


def _report(runtime: StationRuntime, kind: str, payload: dict[str, Any]) -> None:
    with write_transaction(runtime.db) as session:
        outbox.record(session, event_type=EventType(kind), aggregate_id=str(payload.get("version", "")),
                      payload=payload, at=runtime.clock.now())
    if runtime.sync is not None:
        runtime.sync.wake()


class UpdateService:
    """The background side: trial health check, then offers as they come."""

    def __init__(self, runtime: StationRuntime, *, sync: SyncWorker) -> None:
        self.runtime = runtime
        self.sync = sync
        self.offer: dict[str, Any] | None = None  # the last heartbeat answer's offer
        self.updater = station_updater(runtime.settings, trusted=self.trusted,
                                       report=partial(_report, runtime))
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self.started = time.monotonic()

    def trusted(self) -> KeySet:
        from ..sync import state

        with self.runtime.db() as session:
            statement = state.get(session, state.RELEASE_KEYS)
        return release_keys(self.runtime.settings.release_keys_file,
                            {"release_keys": statement} if statement else None)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="updates", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(10)

    def offered(self, offer: dict[str, Any] | None) -> None:
        """Called by the sync worker with each heartbeat answer's offer."""
        self.offer = offer
        self._wake.set()

    def probe(self) -> tuple[bool, str]:
        """Services up, devices reopened, database migrated, platform reached."""
        runtime = self.runtime
        problems = []
        summary = self.sync.reporter.service_summary()
        if summary["state"] not in ("AVAILABLE", "SUSPENDED"):
            problems.append(f"services {summary['state']}: {summary.get('reason') or ''}".strip())
        state = journal.read(self.updater.root) or {}
        was_ready = set(state.get("ready_components", []))
        ready = {cid for cid, s in runtime.devices.statuses().items() if s.code == "OK"}
        if was_ready - ready:
            problems.append(f"devices not reopened: {', '.join(sorted(was_ready - ready))}")
        head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
        revision = database_revision(runtime.settings.data_dir / "station.db")
        if revision != head:
            problems.append(f"database at {revision or 'no revision'}, not {head}")
        sync = self.sync
        if sync.last_ok is None or sync.last_ok < self.started:
            why = f": {sync.last_error}" if sync.last_error else ""
            problems.append(f"platform not reached{why}")
        return not problems, "; ".join(problems)

    def _run(self) -> None:
        try:
            self.updater.report_pending()
            if journal.read(self.updater.root) and self.updater.on_start() == "trial":
                self.updater.trial(self.probe, deadline=self.runtime.settings.update_health_seconds,
                                   stop=self._stop)
        except Exception:  # the station serves on whatever the updater does
            log.exception("update trial failed unexpectedly")
        while not self._stop.is_set():
            try:
                self._step()
            except Exception as err:
                log.warning("update not taken this time: %s", err)
            self._wake.wait(30)
            self._wake.clear()

    def _step(self) -> None:
        raw = self.offer
        state = journal.read(self.updater.root)
        if raw is None:
            if state and state["phase"] in (journal.PREPARED, journal.BACKED_UP):
                log.info("the rollout of %s was paused or aborted; waiting", state["version"])
            return
        offer = Offer.from_dict(raw)
        opener = partial(self.sync.client.open_release, offer.version)
        ready = self.updater.prepare(offer, opener, stop=self._stop.is_set,
                                     rate=self.runtime.settings.update_rate_bytes)
        if not ready:
            return
        if not in_window(localtime.now_local(), offer.window_start, offer.window_end):
            return
        if self.runtime.sessions.current() is not None:
            return  # never during a resident's visit: the next look, after they leave
        state = journal.read(self.updater.root) or {}
        state["ready_components"] = sorted(cid for cid, s in self.runtime.devices.statuses().items()
                                           if s.code == "OK")
        journal.write(self.updater.root, state)
        self.updater.switch()
