"""``kiosk up`` as a supervisor: every part is a child process that is restarted when it stops
or hangs, following a ``RestartPolicy``.

Liveness speaks systemd's own protocol, so a part needs no second mechanism: each child gets a
``NOTIFY_SOCKET`` of its own (a unix datagram socket in a private folder that only the supervisor
reads) and ``WATCHDOG_USEC`` (``ping_every × missed_pings``, as ``WatchdogSec=`` is in the systemd
units); the children's sd_notify code (backend/shared/service_notify.py, the simulators' and the
kiosk window's pings) sends ``READY=1`` and then ``WATCHDOG=1`` from their event loop. A child
that falls silent for ``missed_pings`` pings is killed (SIGKILL) and restarted like one that
crashed. Under systemd the units set the same variables themselves.

Every change is written to ``<run dir>/supervisor.json`` (pids, states, restart counts) for
people, ``kiosk doctor`` and tests.
"""

from __future__ import annotations

import json
import select
import shutil
import socket
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from backend.shared.private_files import write_private_file

from .processes import Child, kill, spawn, stop_all, wait_until
from .restart_policy import Lifeline, RestartPolicy

STATUS_FILE = "supervisor.json"
TICK = 0.1  # seconds between looks at the children (and the longest a ping waits to be read)


class PartState(StrEnum):
    RUNNING = "running"
    RESTARTING = "restarting"  # stopped or killed; waiting out the backoff
    OUT_OF_SERVICE = "out_of_service"  # a crash loop: left stopped (tried again after retry_after)
    STOPPED = "stopped"  # the supervisor itself is stopping


@dataclass
class Part:
    name: str
    command: list[str]
    env: dict[str, str]
    child: Child
    life: Lifeline
    state: PartState = PartState.RUNNING
    restart_at: float | None = None
    restarts: int = 0
    crashes: int = 0
    hangs: int = 0
    last_exit: str = ""
    signs: int = 0  # signs of life since the last start (0: not heard from yet)


@dataclass(frozen=True)
class Change:
    """What happened to a part, for the supervisor's owner (banner lines, platform reports)."""

    part: str
    what: str  # exited | hung | restarted | alive | out_of_service
    detail: str = ""


Listener = Callable[[Change], None]


@dataclass
class Supervisor:
    policy: RestartPolicy
    log_dir: Path
    run_dir: Path
    clock: Callable[[], float] = time.monotonic
    listeners: list[Listener] = field(default_factory=list)
    parts: dict[str, Part] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # A short private path: a unix socket's path must fit in 108 bytes.
        self._socket_dir = Path(tempfile.mkdtemp(prefix="kiosk-up-"))
        self._sockets: dict[str, socket.socket] = {}

    # ---- starting -------------------------------------------------------------------------------

    def start(self, name: str, command: Sequence[str], *, env: dict[str, str] | None = None,
              ready: Callable[[], bool] | None = None, ready_timeout: float = 60) -> Part:
        """Start a part (waiting for ``ready`` the first time, so later parts find it up)."""
        path = self._socket_dir / f"{name}.sock"
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        sock.bind(str(path))
        sock.setblocking(False)
        self._sockets[name] = sock
        full_env = {**(env or {}), "NOTIFY_SOCKET": str(path),
                    "WATCHDOG_USEC": str(int(self.policy.hang_after * 1_000_000))}
        child = spawn(name, command, self.log_dir, env=full_env)
        part = Part(name, list(command), full_env, child, Lifeline(self.policy, self.clock()))
        self.parts[name] = part
        self._write_status()
        if ready is not None:
            wait_until(ready, child, timeout=ready_timeout)
        return part

    # ---- supervising ----------------------------------------------------------------------------

    def run(self, until: Callable[[], bool] = lambda: False) -> None:
        """Supervise until ``until()`` holds (or KeyboardInterrupt)."""
        while not until():
            self.step(TICK)

    def step(self, wait: float = 0.0) -> None:
        """Read the pings that arrive within ``wait`` seconds, then act on every part once."""
        self._read_pings(wait)
        now = self.clock()
        for part in list(self.parts.values()):
            self._look_at(part, now)

    def _look_at(self, part: Part, now: float) -> None:
        if part.state is PartState.RUNNING:
            if not part.child.alive():
                part.crashes += 1
                self._stopped(part, now, f"exit {part.child.process.returncode}", "exited")
            elif part.life.hung(now):
                part.hangs += 1
                kill(part.child)
                silent = now - (part.life.last_sign or part.life.started_at)
                self._stopped(part, now, f"no sign of life for {silent:.1f} s", "hung")
        elif part.restart_at is not None and now >= part.restart_at:
            if part.state is PartState.OUT_OF_SERVICE:
                part.life.given_another_chance(now)
            else:
                part.life.restarted(now)
            self._respawn(part)

    def _stopped(self, part: Part, now: float, why: str, what: str) -> None:
        part.last_exit = why
        self._tell(Change(part.name, what, why))
        delay = part.life.exited(now)
        if delay is None:
            part.state = PartState.OUT_OF_SERVICE
            retry = self.policy.retry_after
            part.restart_at = None if retry is None else now + retry
            loop = f"{self.policy.loop_restarts} restarts within {self.policy.loop_window:g} s"
            self._tell(Change(part.name, "out_of_service", f"crash loop ({loop}); last: {why}"))
        else:
            part.state, part.restart_at = PartState.RESTARTING, now + delay
        self._write_status()

    def _respawn(self, part: Part) -> None:
        self._drain(part.name)  # what the old process said last is not the new one's sign
        part.child = spawn(part.name, part.command, self.log_dir, env=part.env)
        part.state, part.restart_at, part.signs = PartState.RUNNING, None, 0
        part.restarts += 1
        self._tell(Change(part.name, "restarted", f"pid {part.child.process.pid}"))
        self._write_status()

    def _read_pings(self, wait: float) -> None:
        by_fd = {sock.fileno(): name for name, sock in self._sockets.items()}
        readable, _w, _x = select.select(list(self._sockets.values()), [], [], wait)
        now = self.clock()
        for sock in readable:
            name = by_fd[sock.fileno()]
            for message in _datagrams(sock):
                part = self.parts.get(name)
                if part is None or part.state is not PartState.RUNNING:
                    continue
                if "WATCHDOG=1" in message or "READY=1" in message:
                    part.life.sign_of_life(now)
                    part.signs += 1
                    if part.signs == 1:
                        self._tell(Change(name, "alive", f"pid {part.child.process.pid}"))
                        self._write_status()

    def _drain(self, name: str) -> None:
        for _message in _datagrams(self._sockets[name]):
            pass

    # ---- stopping -------------------------------------------------------------------------------

    def stop(self, timeout: float = 10) -> None:
        """Stop every part (in reverse start order) and remove the sockets."""
        children = [p.child for p in self.parts.values()]
        for part in self.parts.values():
            part.state = PartState.STOPPED
        stop_all(children, timeout)
        for sock in self._sockets.values():
            sock.close()
        shutil.rmtree(self._socket_dir, ignore_errors=True)
        self._write_status()

    # ---- telling --------------------------------------------------------------------------------

    def _tell(self, change: Change) -> None:
        for listener in self.listeners:
            listener(change)

    def status(self) -> dict[str, object]:
        return {"parts": {p.name: {"pid": p.child.process.pid, "state": p.state.value,
                                   "restarts": p.restarts, "crashes": p.crashes, "hangs": p.hangs,
                                   "last_exit": p.last_exit, "alive_seen": p.signs > 0}
                          for p in self.parts.values()},
                "policy": {"first_delay": self.policy.first_delay, "max_delay": self.policy.max_delay,
                           "ping_every": self.policy.ping_every,
                           "missed_pings": self.policy.missed_pings}}

    def _write_status(self) -> None:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        write_private_file(self.run_dir / STATUS_FILE, json.dumps(self.status(), indent=2).encode())


def _datagrams(sock: socket.socket) -> list[str]:
    messages = []
    while True:
        try:
            messages.append(sock.recv(4096).decode(errors="replace"))
        except BlockingIOError:
            return messages
