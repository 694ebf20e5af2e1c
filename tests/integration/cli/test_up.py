"""``kiosk up``: everything starts together, says where receipts land, and stops together."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import httpx

from support.stack import free_port, kiosk


def test_up_without_a_display_runs_everything_but_the_window(data_dir: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    process = subprocess.Popen(kiosk("up", "--data-dir", str(data_dir), "--station-port", str(port),
                                     "--printer-port", "0"),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    try:
        banner = _read_until(process, "kiosk sim status")
        assert "no display found" in banner
        assert str(data_dir / "sim" / "printer" / "jobs") in banner
        assert "kiosk sim card" in banner and "kiosk sim fault" in banner
        station = httpx.get(f"http://127.0.0.1:{port}/api/station", timeout=5).json()
        assert station["simulated"] == {"printer": True, "idcard": True, "scanner": True, "camera": True}
        assert (data_dir / "sim" / "endpoints.json").exists()
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(30)
    assert not (data_dir / "sim" / "endpoints.json").exists()  # the simulators stopped too
    try:
        httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2)
        raise AssertionError("the station still answers after kiosk up stopped")
    except httpx.ConnectError:
        pass


def _read_until(process: subprocess.Popen[str], marker: str, timeout: float = 60) -> str:
    assert process.stdout is not None
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            break
        seen.append(line)
        if marker in line:
            return "".join(seen)
    raise AssertionError("kiosk up did not print its banner:\n" + "".join(seen))
