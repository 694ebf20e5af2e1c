"""A real ``kiosk up`` (simulators, platform, station, kiosk window under Xvfb) heals itself: each
child killed with SIGKILL (a crash) or frozen with SIGSTOP (a hang) is restarted by the
supervisor (the window's pause while the station is away: test_station_away.py); a certificate issued around a station crash is neither lost nor
doubled, on the station or on the platform; a child in a crash loop is put out of service, the
platform gets an alert, and the rest keeps running.

The policy is shortened through KIOSK_SUPERVISOR_* where waiting out the real one would take
minutes (pings every 0.5 s instead of 10 s, so a hang is caught after 1.5 s instead of 30 s; the
backoff resets after 3 s of health instead of 5 minutes). The restart delay is the real first
step, 1 s. The times measured are written to test-artifacts/self-healing/restart-times.json.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from support.stack import REPO, StationToken, free_port, kiosk, poll

from .conftest import SIZE

ARTIFACTS = REPO / "test-artifacts" / "self-healing"
PING_EVERY, MISSED = 0.5, 3
POLICY = {"KIOSK_SUPERVISOR_PING_EVERY": str(PING_EVERY), "KIOSK_SUPERVISOR_MISSED_PINGS": str(MISSED),
          "KIOSK_SUPERVISOR_HEALTHY_AFTER": "3", "KIOSK_SUPERVISOR_FIRST_DELAY": "1"}


@dataclass
class Up:
    """A running ``kiosk up`` and the ways to look at its parts."""

    process: subprocess.Popen[bytes]
    data_dir: Path
    station: str
    platform: str
    hook: str
    http: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=10))
    measured: dict[str, dict[str, float]] = field(default_factory=dict)

    def parts(self) -> dict[str, Any]:
        status: dict[str, Any] = json.loads((self.data_dir / "run" / "supervisor.json").read_text())
        return status["parts"]

    def pid(self, part: str) -> int:
        return int(self.parts()[part]["pid"])

    def ok(self, url: str, **kwargs: Any) -> bool:
        try:
            return self.http.get(url, timeout=1, **kwargs).status_code == 200
        except httpx.HTTPError:
            return False

    def ui_state(self) -> dict[str, Any] | None:
        try:
            state: dict[str, Any] = self.http.get(self.hook + "/state?widgets=1", timeout=2).json()
            return state
        except (httpx.HTTPError, ValueError):
            return None

    def serving(self, part: str) -> bool:
        """The part answers as its users need it to (not just: its process exists)."""
        if part == "station":
            return self.ok(self.station + "/api/health")
        if part == "platform":
            return self.ok(self.platform + "/api/health")
        if part == "sim":
            return bool(self.parts()["sim"]["alive_seen"])  # READY=1 comes after the endpoints
        state = self.ui_state()
        return state is not None and state["screen"] == "attract" and state["timings"]["first_frame"] is not None

    def station_client(self) -> httpx.Client:
        """A new client (connections to a killed station die with it)."""
        return httpx.Client(base_url=self.station, timeout=10, auth=StationToken(self.data_dir))

    def staff(self) -> httpx.Client:
        wait(lambda: self.serving("platform"), "the platform")
        token = httpx.post(self.platform + "/api/auth/login", timeout=10,
                           json={"username": "admin", "password": "kiosk-demo-admin"}).json()["token"]
        return httpx.Client(base_url=self.platform, timeout=10, headers={"Authorization": f"Bearer {token}"})


def wait(check: Callable[[], Any], what: str, timeout: float = 60, every: float = 0.02) -> Any:
    return poll(check, what, timeout=timeout, every=every)  # the restart timings want fine steps


@pytest.fixture(scope="module")
def up(display: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Up]:
    data_dir = tmp_path_factory.mktemp("self-healing")
    port, platform_port, hook_port = free_port(), free_port(), free_port()
    env = {**os.environ, **POLICY, "DISPLAY": display, "KIVY_NO_ARGS": "1", "KIVY_LOG_MODE": "MIXED",
           "KIOSK_UI_SIZE": f"{SIZE[0]}x{SIZE[1]}", "SDL_AUDIODRIVER": "dummy",
           "KIOSK_UI_AUTOMATION_PORT": str(hook_port), "PYTHONPATH": str(REPO)}
    log = (data_dir / "kiosk-up.out").open("wb")
    process = subprocess.Popen(kiosk("up", "--data-dir", str(data_dir), "--station-port", str(port),
                                     "--platform-port", str(platform_port), "--printer-port", "0"),
                               stdout=log, stderr=subprocess.STDOUT, env=env, cwd=REPO)
    running = Up(process, data_dir, f"http://127.0.0.1:{port}", f"http://127.0.0.1:{platform_port}",
                 f"http://127.0.0.1:{hook_port}")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        wait(lambda: (data_dir / "run" / "supervisor.json").exists() and "ui" in running.parts(),
             "kiosk up to start every part", timeout=120, every=0.2)
        wait(lambda: running.serving("ui"), "the kiosk window", timeout=60)
        yield running
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(30)
        finally:
            log.close()
            (ARTIFACTS / "restart-times.json").write_text(json.dumps(running.measured, indent=2))
            (ARTIFACTS / "kiosk-up.out").write_bytes((data_dir / "kiosk-up.out").read_bytes())


def _break_and_time(up: Up, part: str, sig: int) -> dict[str, float]:
    """Send ``sig`` to ``part``; return when the supervisor noticed and when the part serves again."""
    old = up.pid(part)
    wait(lambda: up.serving(part), f"{part} to serve before the test")
    if part != "ui":
        wait(lambda: up.serving("ui"), "the window to be up")
    time.sleep(PING_EVERY * 2)  # at least one ping heard since its start
    hit = time.monotonic()
    os.killpg(old, sig)
    wait(lambda: up.pid(part) != old, f"{part} to be restarted", timeout=60)
    respawned = time.monotonic() - hit
    wait(lambda: up.serving(part), f"{part} to serve again", timeout=60)
    back = time.monotonic() - hit
    return {"respawned_after": round(respawned, 2), "serving_after": round(back, 2)}


@pytest.mark.parametrize("part", ["sim", "platform", "station", "ui"])
@pytest.mark.parametrize("how", ["crash", "hang"])
def test_each_part_killed_or_frozen_is_restarted(up: Up, part: str, how: str) -> None:
    sig = signal.SIGKILL if how == "crash" else signal.SIGSTOP
    timing = _break_and_time(up, part, sig)
    up.measured[f"{part} {how} (kill -9)" if how == "crash" else f"{part} {how} (SIGSTOP)"] = timing
    first_delay = float(POLICY["KIOSK_SUPERVISOR_FIRST_DELAY"])
    if how == "crash":
        assert timing["respawned_after"] >= first_delay  # the backoff's first step, not a hot loop
    else:  # only after three missed pings, then the same first step of the backoff
        assert timing["respawned_after"] >= PING_EVERY * MISSED + first_delay - PING_EVERY
    if part == "ui":  # the backoff's 1 s, then the new window's own start to its first (attract) frame
        timings = up.ui_state()["timings"]  # type: ignore[index]
        assert timings["first_frame"] > timings["process_start"]  # a new window, drawn
        # How soon it is back (the promise: within 5 s) is a figure, not an assert: it goes to
        # restart-times.json and the README's table; on a loaded machine it is seconds more.
        timing["window_start_to_attract"] = round(timings["first_frame"] - timings["process_start"], 2)
    for other in ("sim", "platform", "station"):  # the rest kept running, or came back
        wait(lambda o=other: up.serving(o), f"{other} after {part} was broken")  # type: ignore[misc]


def _identify(up: Up, client: httpx.Client) -> str:
    control = json.loads((up.data_dir / "sim" / "endpoints.json").read_text())["control"]
    session = str(client.post("/api/sessions", json={"service": "certificates"}).json()["id"])
    httpx.post(control + "/devices/idcard/card", json={"resident": "1"}, timeout=10)
    wait(lambda: client.get(f"/api/sessions/{session}").json()["identity"], "the card to be read", 20)
    httpx.delete(control + "/devices/idcard/card", timeout=10)
    return session


def _issue(client: httpx.Client, session: str, key: str) -> httpx.Response:
    return client.post("/api/certificates", json={"session_id": session, "type_code": "JZZM",
                                                  "purpose": "school", "idempotency_key": key})


def _station_serials(up: Up) -> list[str]:
    with sqlite3.connect(f"file:{up.data_dir / 'station.db'}?mode=ro", uri=True) as db:
        return sorted(row[0] for row in db.execute("SELECT serial FROM certificates"))


def test_no_certificate_is_lost_or_doubled_by_a_station_crash_or_a_platform_hang(up: Up) -> None:
    wait(lambda: up.serving("station"), "the station")
    before = _station_serials(up)
    # Killed right after the answer: the certificate must be there after the restart.
    with up.station_client() as client:
        issued = _issue(client, _identify(up, client), "crash-after")
        assert issued.status_code == 201, issued.text
    os.killpg(up.pid("station"), signal.SIGKILL)
    wait(lambda: up.serving("station"), "the station back")
    assert _station_serials(up) == sorted([*before, issued.json()["serial"]])
    # Killed while the request is in flight: issued once or not at all, never twice.
    with up.station_client() as client:
        session = _identify(up, client)
        thread = threading.Thread(target=lambda: _try(lambda: _issue(client, session, "crash-during")))
        thread.start()
        time.sleep(0.02)
        os.killpg(up.pid("station"), signal.SIGKILL)
        thread.join(15)
    wait(lambda: up.serving("station"), "the station back")
    during = _station_serials(up)
    assert len(during) in (len(before) + 1, len(before) + 2) and len(set(during)) == len(during)
    # The platform frozen (then killed and restarted by the supervisor): the station serves on.
    os.killpg(up.pid("platform"), signal.SIGSTOP)
    with up.station_client() as client:
        offline = _issue(client, _identify(up, client), "platform-away")
        assert offline.status_code == 201, offline.text
    serials = _station_serials(up)
    assert serials == sorted([*during, offline.json()["serial"]])
    with up.staff() as staff:  # the platform learns each exactly once (the outbox survived the kills)
        def platform_serials() -> list[str]:
            rows = staff.get("/api/staff/stations/guilin-01/certificates", params={"limit": 5000}).json()
            return sorted(r["serial"] for r in rows)
        wait(lambda: platform_serials() == serials, "the platform to hold the station's certificates", 60,
             every=0.5)


def _try(call: Callable[[], httpx.Response]) -> Any:
    try:
        return call().status_code
    except httpx.HTTPError as err:
        return type(err).__name__


def test_a_crash_loop_puts_the_part_out_of_service_and_alerts_the_platform(up: Up) -> None:
    """Runs last in this module: the window stays out of service afterwards."""
    while up.parts()["ui"]["state"] != "out_of_service":
        pid = up.pid("ui")
        wait(lambda: up.parts()["ui"]["state"] == "running" or up.parts()["ui"]["state"] == "out_of_service",
             "the window to be running")
        if up.parts()["ui"]["state"] == "out_of_service":
            break
        os.killpg(pid, signal.SIGKILL)
        wait(lambda p=pid: up.pid("ui") != p or up.parts()["ui"]["state"] == "out_of_service",  # type: ignore[misc]
             "the window restarted or given up", 60)
    with up.staff() as staff:
        alert = wait(lambda: [a for a in staff.get("/api/staff/alerts", params={"open_only": True}).json()
                              if a["kind"] == "part_out_of_service"], "the platform's alert", 60, every=0.5)[0]
    assert alert["station_id"] == "guilin-01" and alert["severity"] == "ALARM"
    assert "process.ui" in alert["detail"] and "crash loop" in alert["detail"]
    for other in ("sim", "platform", "station"):  # the rest keeps serving residents
        assert up.parts()[other]["state"] == "running"
        wait(lambda o=other: up.serving(o), other)  # type: ignore[misc]
    time.sleep(2)  # and the window stays down (no restart while out of service)
    assert up.parts()["ui"]["state"] == "out_of_service"
