"""Running the commands staff send: each once, in order; its result goes back as an outbox event
(command.result) in the same transaction that marks it finished. A command cut short by a
crash is reported as interrupted, never run a second time (a reprint must not print twice)."""

from __future__ import annotations

import logging
import platform as host
import shutil
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from backend.shared.errors import AppError
from backend.shared.protocol import CommandKind, EventType
from devices.printer.samples import sample_certificate

from ..db.models import PlatformCommand
from ..db.session import write_transaction
from ..services import outbox
from ..services.printing import print_certificate, print_slip
from ..services.screen import RESIDENT_PRESENT, encoded
from . import state

if TYPE_CHECKING:
    from ..runtime import StationRuntime

log = logging.getLogger(__name__)
SCREENSHOT_WAIT = 8.0  # seconds the kiosk UI has to answer
MAINTENANCE_REASON = "设备维护中，请稍后再来 / Under maintenance, please come back later"
Outcome = tuple[bool, str, dict[str, Any]]


class CommandExecutor:
    """Runs received platform commands against the runtime."""

    def __init__(self, runtime: StationRuntime, on_service_change: Callable[[], None]) -> None:
        self.runtime = runtime
        self._on_service_change = on_service_change
        self._handlers: dict[str, Callable[[dict[str, Any]], Outcome]] = {
            CommandKind.SUSPEND: self._suspend, CommandKind.RESUME: self._resume,
            CommandKind.MAINTENANCE: self._maintenance, CommandKind.REPRINT: self._reprint,
            CommandKind.RESTART: self._restart, CommandKind.DIAGNOSTICS: self._diagnostics,
            CommandKind.SCREENSHOT: self._screenshot, CommandKind.TEST_PRINT: self._test_print,
        }

    def run_pending(self) -> int:
        """Run every command not finished yet; return how many ran."""
        with self.runtime.db() as session:
            pending = list(session.scalars(
                select(PlatformCommand).where(PlatformCommand.finished_at.is_(None))
                .order_by(PlatformCommand.received_at, PlatformCommand.id)))
        for command in pending:
            if command.started_at is not None:
                self._finish(command, (False, "interrupted by a restart; not run again", {}))
                continue
            self._mark_started(command.id)
            self._finish(command, self._run(command))
        return len(pending)

    def restore(self) -> None:
        """Apply the persisted suspension after a restart."""
        with self.runtime.db() as session:
            suspended = state.get(session, state.SUSPENDED)
        self._apply_suspension(suspended)

    def _run(self, command: PlatformCommand) -> Outcome:
        handler = self._handlers.get(command.kind)
        if handler is None:
            return False, f"unknown command {command.kind}", {}
        try:
            return handler(command.params)
        except AppError as err:
            return False, err.code, {"detail": err.detail}
        except Exception as err:  # a failed command is reported, never kills the sync worker
            log.exception("command %s (%s) failed", command.id, command.kind)
            return False, f"{type(err).__name__}: {err}", {}

    def _mark_started(self, command_id: str) -> None:
        with write_transaction(self.runtime.db) as session:
            row = session.get(PlatformCommand, command_id)
            assert row is not None
            row.started_at = self.runtime.clock.now()

    def _finish(self, command: PlatformCommand, outcome: Outcome) -> None:
        ok, detail, data = outcome
        now = self.runtime.clock.now()
        with write_transaction(self.runtime.db) as session:
            row = session.get(PlatformCommand, command.id)
            assert row is not None
            row.finished_at, row.ok = now, ok
            outbox.record(session, event_type=EventType.COMMAND_RESULT, aggregate_id=command.id,
                          payload={"command_id": command.id, "kind": command.kind, "ok": ok,
                                   "detail": detail, "data": data}, at=now)
        log.info("command %s (%s): %s %s", command.id, command.kind, "ok" if ok else "failed", detail)

    # ---- the commands ---------------------------------------------------------------------------

    def _set_suspension(self, value: dict[str, Any] | None) -> None:
        with write_transaction(self.runtime.db) as session:
            state.put(session, state.SUSPENDED, value, now=self.runtime.clock.now())
        self._apply_suspension(value)
        self._on_service_change()

    def _apply_suspension(self, value: dict[str, Any] | None) -> None:
        self.runtime.suspended_reason = value["reason"] if value else None

    def _suspend(self, params: dict[str, Any]) -> Outcome:
        self._set_suspension({"reason": str(params["reason"]), "maintenance": False})
        return True, "suspended", {}

    def _resume(self, _params: dict[str, Any]) -> Outcome:
        self._set_suspension(None)
        return True, "resumed", {}

    def _maintenance(self, params: dict[str, Any]) -> Outcome:
        on = bool(params.get("on"))
        self._set_suspension({"reason": MAINTENANCE_REASON, "maintenance": True} if on else None)
        return True, "maintenance on" if on else "maintenance off", {}

    def _reprint(self, params: dict[str, Any]) -> Outcome:
        runtime = self.runtime
        certificate = print_certificate(runtime.db, runtime.devices,
                                        certificate_id=str(params["certificate_id"]),
                                        catalog=runtime.catalog, issuer_name=runtime.issuer_name,
                                        clock=runtime.clock, actor="platform", allow_reprint=True)
        return True, "printed", {"serial": certificate.serial, "print_count": certificate.print_count}

    def _restart(self, _params: dict[str, Any]) -> Outcome:
        # Restarts the device layer (drivers, connections, watchers); restarting the process
        # itself is the supervisor's job (systemd, kiosk up).
        self.runtime.devices.stop()
        self.runtime.devices.start()
        return True, "devices restarted", {}

    def _diagnostics(self, _params: dict[str, Any]) -> Outcome:
        runtime = self.runtime
        with runtime.db() as session:
            depth, oldest = state.outbox_backlog(session, runtime.clock.now())
            cursor = state.get(session, state.CURSOR, 0)
        disk = shutil.disk_usage(runtime.settings.data_dir)
        data = {"components": runtime.devices.snapshot(), "outbox_depth": depth,
                "outbox_oldest_age_seconds": oldest, "cursor": cursor, "disk_free_bytes": disk.free,
                "python": host.python_version(), "system": host.platform(),
                "recent_events": [e.as_dict() for e in runtime.bus.history(30)
                                  if not e.type.startswith(("card.", "session.", "code."))]}
        return True, "collected", data

    def _screenshot(self, _params: dict[str, Any]) -> Outcome:
        runtime = self.runtime
        if runtime.sessions.current() is not None:
            raise AppError(RESIDENT_PRESENT)
        jpeg = runtime.screen_captures.capture(timeout=SCREENSHOT_WAIT)
        return True, "captured", {"jpeg_base64": encoded(jpeg), "bytes": len(jpeg)}

    def _test_print(self, _params: dict[str, Any]) -> Outcome:
        runtime = self.runtime
        job_id = print_slip(runtime.db, runtime.devices, document=sample_certificate(), kind="selftest",
                            clock=runtime.clock)
        return True, "printed", {"job_id": job_id}
