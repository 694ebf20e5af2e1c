"""Under systemd (Type=notify, WatchdogSec=) the station says READY=1 once it serves and feeds the
watchdog from its event loop; a stopped (hung) process stops feeding it. Checked with our own
NOTIFY_SOCKET, as systemd would listen."""

from __future__ import annotations

import os
import signal
import socket
import time
from pathlib import Path

from support.stack import free_port, kiosk, start


def _messages(sock: socket.socket, seconds: float) -> list[str]:
    sock.settimeout(0.2)
    got, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            got.append(sock.recv(4096).decode())
        except TimeoutError:
            continue
    return got


def test_ready_then_watchdog_pings_that_stop_when_the_loop_stops(tmp_path: Path) -> None:
    path = tmp_path / "notify.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind(str(path))
        env = {"NOTIFY_SOCKET": str(path), "WATCHDOG_USEC": "400000"}  # a ping every 0.2 s
        process = start("station", kiosk("station", "--data-dir", str(tmp_path / "data"),
                                         "--port", str(free_port())), tmp_path, env)
        try:
            heard: list[str] = []
            deadline = time.monotonic() + 30
            while not any("READY=1" in m for m in heard) and time.monotonic() < deadline:
                heard += _messages(sock, 0.5)
            assert any("READY=1" in m for m in heard), heard
            assert _messages(sock, 1.0).count("WATCHDOG=1") >= 3
            os.kill(process.popen.pid, signal.SIGSTOP)  # as good as a hung event loop
            _messages(sock, 0.3)  # what was already on its way
            assert _messages(sock, 1.0) == []
            os.kill(process.popen.pid, signal.SIGCONT)
            assert "WATCHDOG=1" in _messages(sock, 1.0)
        finally:
            os.kill(process.popen.pid, signal.SIGCONT)
            process.stop()
