"""The sync worker: one thread that sends the outbox, pulls changes, runs commands and sends
heartbeats; on any failure it waits with exponential backoff and full jitter, and carries on."""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..db.session import write_transaction
from . import state
from .certificate_appliers import load_revocations
from .client import PlatformClient, PlatformRefused, PlatformUnreachable
from .commands import CommandExecutor
from .enrolment import Enrolment, request_signer
from .health import note_clock_skew
from .puller import pull_changes
from .reporter import StateReporter
from .sender import send_batch

if TYPE_CHECKING:
    from ..runtime import StationRuntime

log = logging.getLogger(__name__)


def backoff_delay(attempt: int, *, base: float, cap: float, rng: random.Random | None = None) -> float:
    """Full jitter (AWS architecture blog): uniform between 0 and min(cap, base * 2^attempt)."""
    ceiling = min(cap, base * (2 ** min(attempt, 30)))
    return (rng or random).uniform(0, ceiling)


class SyncWorker:
    """Keeps the station and the platform in step while the station runs."""

    def __init__(self, runtime: StationRuntime, enrolment: Enrolment,
                 client: PlatformClient | None = None) -> None:
        settings = runtime.settings
        self.runtime = runtime
        self.enrolment = enrolment
        self.client = client or PlatformClient(
            settings.platform_url or enrolment.platform_url, station_id=enrolment.station_id,
            signer=request_signer(settings.keys_dir))
        self.reporter = StateReporter(runtime)
        self.commands = CommandExecutor(runtime, self.reporter.service_changed)
        self.heartbeat_seconds = settings.heartbeat_seconds or enrolment.heartbeat_seconds
        self.on_update_offer: Callable[[dict[str, Any] | None], None] | None = None  # the updater's
        self.failures = 0
        self.last_error = ""
        self.last_ok: float | None = None  # time.monotonic() of the last round the platform answered
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._next_heartbeat = 0.0

    def start(self) -> None:
        self._restore()
        self.reporter.attach()
        self._thread = threading.Thread(target=self._loop, name="sync-worker", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(20)
        self.client.close()

    def wake(self) -> None:
        """Sync now rather than at the next interval (e.g. after new outbox events)."""
        self._wake.set()

    def _restore(self) -> None:
        # What earlier changes set up outside the database: catalog, trust file, suspension.
        from backend.shared.catalog import parse_catalog

        with self.runtime.db() as session:
            catalog, trust = state.get(session, state.CATALOG), state.get(session, state.TRUST)
            identity = state.get(session, state.IDENTITY)
        if catalog:
            self.runtime.catalog = parse_catalog(catalog, source="platform catalog")
        if trust:
            self.runtime.keys.save_trust_list(trust)
        if identity:
            self.runtime.keys.save_identity_keys(identity)
        load_revocations(self.runtime)
        self.commands.restore()

    def _loop(self) -> None:
        settings = self.runtime.settings
        while not self._stop.is_set():
            try:
                busy = self.sync_once()
                self.failures, self.last_error, self.last_ok = 0, "", time.monotonic()
                note_clock_skew(self.runtime, self.client.skew_seconds)
                delay = 0.0 if busy else settings.sync_interval_seconds
            except (PlatformUnreachable, PlatformRefused) as err:
                note_clock_skew(self.runtime, self.client.skew_seconds)  # a refusal has a Date too
                delay = self._failed(err)
            except Exception as err:  # never let the worker die: the station must keep syncing
                log.exception("sync failed unexpectedly")
                delay = self._failed(err)
            self._wake.wait(delay)
            self._wake.clear()

    def sync_once(self) -> bool:
        """Run one round; return True when more outbox events are waiting."""
        settings = self.runtime.settings
        result = send_batch(self.runtime.db, self.client, batch_size=settings.sync_batch_size,
                            now=self.runtime.clock.now())
        busy = result.full and result.sent == settings.sync_batch_size
        if not busy:  # drain a backlog first; changes and commands wait a few batches
            self._send_keys_if_rotated()
            pull_changes(self.runtime, self.client)
            busy = self.commands.run_pending() > 0
        if time.monotonic() >= self._next_heartbeat:
            ack = self.client.heartbeat(self.reporter.heartbeat())
            self.heartbeat_seconds = settings.heartbeat_seconds or ack.heartbeat_seconds
            if self.on_update_offer is not None:
                self.on_update_offer(ack.update.model_dump() if ack.update else None)
            self._next_heartbeat = time.monotonic() + self.heartbeat_seconds
        return busy

    def _send_keys_if_rotated(self) -> None:
        """After a certificate-key rotation, give the platform the new set (it republishes trust)."""
        jwks = self.runtime.keys.jwks()
        with self.runtime.db() as session:
            sent = state.get(session, state.KEYS_SENT)  # enrolment records what it sent
        if sent != jwks:
            self.client.put_keys(jwks)
            self._remember_keys(jwks)

    def _remember_keys(self, jwks: dict[str, object]) -> None:
        with write_transaction(self.runtime.db) as session:
            state.put(session, state.KEYS_SENT, jwks, now=self.runtime.clock.now())

    def _failed(self, err: Exception) -> float:
        self.failures += 1
        self.last_error = str(err)[:200]
        delay = backoff_delay(self.failures, base=self.runtime.settings.sync_backoff_base_seconds,
                              cap=self.runtime.settings.sync_backoff_max_seconds)
        level = logging.WARNING if self.failures in (1, 5) or self.failures % 50 == 0 else logging.DEBUG
        log.log(level, "sync failed (%d in a row, next try in %.1f s): %s", self.failures, delay, err)
        return delay
