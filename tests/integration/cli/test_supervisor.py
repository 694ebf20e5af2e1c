"""The supervisor on small real child processes that speak sd_notify through the same code as
the station (backend.shared.service_notify): crash loops, hangs, silence, and the others running
on. The policy is shortened; the default schedule is tested in tests/unit/kioskcli."""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kioskcli.restart_policy import RestartPolicy
from kioskcli.supervisor import Change, PartState, Supervisor

FAST = RestartPolicy(first_delay=0.05, max_delay=0.2, healthy_after=60, loop_restarts=3,
                     loop_window=60, ping_every=0.2, missed_pings=3, start_grace=5, retry_after=None)
ALIVE = ("import threading\nfrom backend.shared.service_notify import keep_alive\n"
         "keep_alive(threading.Event(), lambda: True, 'test child')\n")
CRASHES = "import sdnotify\nsdnotify.SystemdNotifier().notify('READY=1')\nraise SystemExit(3)\n"
SILENT = "import time\ntime.sleep(60)\n"


def python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


@pytest.fixture
def supervisor(tmp_path: Path) -> Iterator[Supervisor]:
    running = Supervisor(FAST, tmp_path / "logs", tmp_path / "run")
    try:
        yield running
    finally:
        running.stop(timeout=5)


def run_until(supervisor: Supervisor, done: Callable[[], bool], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline, f"timed out; status: {supervisor.status()}"
        supervisor.step(0.05)


def env() -> dict[str, str]:
    return {"PYTHONPATH": str(Path(__file__).resolve().parents[3])}


def test_a_crash_loop_is_put_out_of_service_while_the_others_run_on(supervisor: Supervisor) -> None:
    changes: list[Change] = []
    supervisor.listeners.append(changes.append)
    steady = supervisor.start("steady", python(ALIVE), env=env())
    loop = supervisor.start("loop", python(CRASHES), env=env())
    run_until(supervisor, lambda: loop.state is PartState.OUT_OF_SERVICE)
    assert loop.restarts == 3 and loop.crashes == 4 and loop.last_exit == "exit 3"
    told = [c.what for c in changes if c.part == "loop" and c.what != "alive"]
    assert told == ["exited", "restarted"] * 3 + ["exited", "out_of_service"]
    assert "crash loop" in changes[-1].detail
    pid = loop.child.process.pid
    run_until(supervisor, lambda: steady.signs >= 5)  # the other one is still fed
    assert steady.state is PartState.RUNNING and steady.restarts == 0
    assert loop.child.process.pid == pid and loop.state is PartState.OUT_OF_SERVICE  # left alone
    status = (supervisor.run_dir / "supervisor.json").read_text()
    assert '"out_of_service"' in status and oct(os.stat(supervisor.run_dir / "supervisor.json").st_mode)[-3:] == "600"


def test_a_frozen_child_is_killed_after_three_missed_pings_and_restarted(supervisor: Supervisor) -> None:
    part = supervisor.start("frozen", python(ALIVE), env=env())
    run_until(supervisor, lambda: part.signs >= 2)
    old = part.child.process.pid
    os.kill(old, signal.SIGSTOP)
    stopped_at = time.monotonic()
    run_until(supervisor, lambda: part.hangs == 1)
    assert time.monotonic() - stopped_at >= FAST.hang_after - FAST.ping_every  # not before it missed 3
    assert part.child.process.returncode == -signal.SIGKILL
    run_until(supervisor, lambda: part.child.process.pid != old and part.signs >= 1)
    assert part.state is PartState.RUNNING and "no sign of life" in part.last_exit


def test_a_child_that_never_says_it_is_alive_is_restarted_after_the_start_grace(tmp_path: Path) -> None:
    policy = RestartPolicy(**{**FAST.__dict__, "start_grace": 0.5})
    supervisor = Supervisor(policy, tmp_path / "logs", tmp_path / "run")
    try:
        part = supervisor.start("silent", python(SILENT))
        run_until(supervisor, lambda: part.hangs == 1)
        run_until(supervisor, lambda: part.restarts == 1)
    finally:
        supervisor.stop(timeout=5)


def test_an_out_of_service_part_is_tried_again_after_retry_after(tmp_path: Path) -> None:
    policy = RestartPolicy(**{**FAST.__dict__, "loop_restarts": 1, "retry_after": 0.5})
    supervisor = Supervisor(policy, tmp_path / "logs", tmp_path / "run")
    try:
        part = supervisor.start("loop", python(CRASHES), env=env())
        run_until(supervisor, lambda: part.state is PartState.OUT_OF_SERVICE)
        run_until(supervisor, lambda: part.restarts == 2)  # a fresh try after retry_after
    finally:
        supervisor.stop(timeout=5)
