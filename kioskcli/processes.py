"""Starting the product's parts as child processes and waiting until each is ready."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx


@dataclass
class Child:
    name: str
    process: subprocess.Popen[bytes]
    log_path: Path
    essential: bool = True
    started: float = field(default_factory=time.monotonic)

    def alive(self) -> bool:
        return self.process.poll() is None

    def tail(self, lines: int = 15) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def kiosk_command(*args: str) -> list[str]:
    """The command line that runs ``kiosk ARGS`` with this same interpreter."""
    return [sys.executable, "-m", "kioskcli", *args]


def spawn(name: str, command: Sequence[str], log_dir: Path, *, essential: bool = True,
          env: dict[str, str] | None = None) -> Child:
    """Start a child whose output goes to ``<log_dir>/<name>.log``."""
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"{name}.log"
    with open(log_path, "ab") as log:
        process = subprocess.Popen(list(command), stdout=log, stderr=subprocess.STDOUT,
                                   env={**os.environ, **(env or {})}, start_new_session=True)
    return Child(name, process, log_path, essential)


def wait_until(ready: Callable[[], bool], child: Child, timeout: float) -> None:
    """Wait for ``ready()``; raise RuntimeError with the child's log if it dies or times out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ready():
            return
        if not child.alive():
            raise RuntimeError(f"{child.name} stopped while starting:\n{child.tail()}")
        time.sleep(0.1)
    raise RuntimeError(f"{child.name} was not ready within {timeout:g} s:\n{child.tail()}")


def http_ok(url: str) -> Callable[[], bool]:
    def check() -> bool:
        try:
            return httpx.get(url, timeout=1).status_code == 200
        except httpx.HTTPError:
            return False
    return check


def stop_all(children: Sequence[Child], timeout: float = 10) -> None:
    """Stop children in reverse start order: SIGTERM, then SIGKILL after ``timeout``."""
    for child in reversed(children):
        if child.alive():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.process.pid, signal.SIGTERM)
                os.killpg(child.process.pid, signal.SIGCONT)  # a stopped (hung) child must hear it
    deadline = time.monotonic() + timeout
    for child in reversed(children):
        try:
            child.process.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            kill(child)


def kill(child: Child) -> None:
    """SIGKILL the child's whole process group and reap it."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(child.process.pid, signal.SIGKILL)
    child.process.wait()
