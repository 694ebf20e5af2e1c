"""``kiosk up``: everything starts together (the platform too, with the station enrolled on it),
says where receipts land and where the platform is, and stops together."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import httpx

from support.stack import StationToken, free_port, kiosk


def test_up_without_a_display_runs_everything_but_the_window(data_dir: Path) -> None:
    """With --stations 3, the platform also shows two headless demo stations of other communities."""
    port, platform_port = free_port(), free_port()
    platform = f"http://127.0.0.1:{platform_port}"
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    process = subprocess.Popen(kiosk("up", "--data-dir", str(data_dir), "--station-port", str(port),
                                     "--platform-port", str(platform_port), "--printer-port", "0",
                                     "--stations", "3"),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    try:
        banner = _read_until(process, "kiosk sim status")
        assert "no display found" in banner
        assert str(data_dir / "sim" / "printer" / "jobs") in banner
        assert "kiosk sim card" in banner and "kiosk sim fault" in banner
        station = httpx.get(f"http://127.0.0.1:{port}/api/station", timeout=5, auth=StationToken(data_dir)).json()
        assert station["simulated"] == {"printer": True, "idcard": True, "scanner": True, "camera": True}
        assert (data_dir / "sim" / "endpoints.json").exists()
        assert f"{platform}/docs" in banner and "admin / kiosk-demo-admin" in banner
        assert station["station_id"] == "guilin-01"  # enrolled: the platform named it
        _assert_platform_sees_the_station(platform)
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(30)
    assert not (data_dir / "sim" / "endpoints.json").exists()  # the simulators stopped too
    for url in (f"http://127.0.0.1:{port}/api/health", f"{platform}/api/health"):
        try:
            httpx.get(url, timeout=2)
            raise AssertionError(f"{url} still answers after kiosk up stopped")
        except httpx.ConnectError:
            pass


def _assert_platform_sees_the_station(platform: str) -> None:
    token = httpx.post(f"{platform}/api/auth/login", timeout=10,
                       json={"username": "admin", "password": "kiosk-demo-admin"}).json()["token"]
    deadline = time.monotonic() + 20
    while True:  # the first heartbeat goes as the station starts; device states follow
        stations = httpx.get(f"{platform}/api/staff/stations", timeout=5,
                             headers={"Authorization": f"Bearer {token}"}).json()
        if len(stations) == 3 and all(s["online"] and s["service_state"] == "AVAILABLE" for s in stations):
            break
        assert time.monotonic() < deadline, f"the station never reported: {stations}"
        time.sleep(0.2)
    ours = [(s["id"], s["status"], s["community_code"]) for s in stations if s["id"] == "guilin-01"]
    assert ours == [("guilin-01", "enrolled", "460107002001")]
    fleet = {s["community_code"] for s in stations if s["id"].startswith("qs-")}  # --stations 3: two more
    assert len(fleet) == 2 and "460107002001" not in fleet


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
