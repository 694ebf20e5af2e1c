"""Commands from the platform: run once, results through the outbox, suspension kept across a
restart, an interrupted command reported rather than run twice."""

from __future__ import annotations

from backend.shared.protocol import ChangeKind
from backend.station.db.models import PlatformCommand
from backend.station.db.session import write_transaction
from backend.station.runtime import StationRuntime
from backend.station.sync.commands import MAINTENANCE_REASON, CommandExecutor

from .conftest import NOW, payloads
from .test_appliers import _apply, _change


def _send(runtime: StationRuntime, cursor: int, kind: str, **params: object) -> None:
    _apply(runtime, [_change(cursor, ChangeKind.COMMAND, {"id": f"cmd-{cursor}", "kind": kind,
                                                          "params": params})])


def _executor(runtime: StationRuntime, changed: list[int] | None = None) -> CommandExecutor:
    return CommandExecutor(runtime, lambda: (changed if changed is not None else []).append(1))


def test_suspend_and_resume_report_back_and_survive_a_restart(runtime: StationRuntime) -> None:
    changed: list[int] = []
    _send(runtime, 1, "suspend", reason="盘点")
    assert _executor(runtime, changed).run_pending() == 1
    assert runtime.suspended_reason == "盘点" and changed == [1]
    runtime.suspended_reason = None  # the process restarts...
    _executor(runtime).restore()
    assert runtime.suspended_reason == "盘点"  # ...and stays suspended
    _send(runtime, 2, "maintenance", on=True)
    executor = _executor(runtime)
    assert executor.run_pending() == 1
    assert runtime.suspended_reason == MAINTENANCE_REASON
    _send(runtime, 3, "resume")
    assert executor.run_pending() == 1
    assert runtime.suspended_reason is None
    results = payloads(runtime, "command.result")
    assert [(r["command_id"], r["ok"], r["detail"]) for r in results] == [
        ("cmd-1", True, "suspended"), ("cmd-2", True, "maintenance on"), ("cmd-3", True, "resumed")]
    assert executor.run_pending() == 0  # each runs once


def test_an_interrupted_command_is_reported_not_run_again(runtime: StationRuntime) -> None:
    _send(runtime, 1, "reprint", certificate_id="00000000-0000-0000-0000-000000000000")
    with write_transaction(runtime.db) as session:
        row = session.get(PlatformCommand, "cmd-1")
        assert row is not None
        row.started_at = NOW  # the station died while printing
    _executor(runtime).run_pending()
    assert payloads(runtime, "command.result") == [{"command_id": "cmd-1", "kind": "reprint", "ok": False,
                                                    "detail": "interrupted by a restart; not run again",
                                                    "data": {}}]


def test_failures_are_results_too(runtime: StationRuntime) -> None:
    _send(runtime, 1, "reprint", certificate_id="00000000-0000-0000-0000-000000000000")
    _send(runtime, 2, "teleport")
    _executor(runtime).run_pending()
    assert [(r["ok"], r["detail"]) for r in payloads(runtime, "command.result")] == [
        (False, "certificate.not_found"), (False, "unknown command teleport")]
