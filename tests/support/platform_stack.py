"""Run ``kiosk platform`` and enrolled stations as real processes on loopback, for the platform
and sync tests; kill, restart and inspect them the way the fault tests need."""

from __future__ import annotations

import json
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from .stack import (
    Process,
    Simulators,
    StationToken,
    free_port,
    http_ok,
    kiosk,
    poll,
    simulators,
    start,
    wait_for,
)

ADMIN = {"username": "admin", "password": "kiosk-demo-admin"}
COMMUNITY = "460107002001"
FAST_PLATFORM = {"KIOSK_PLATFORM_OFFLINE_AFTER_SECONDS": "3", "KIOSK_PLATFORM_SWEEP_SECONDS": "0.3"}
FAST_STATION = {"KIOSK_SYNC_INTERVAL_SECONDS": "0.2", "KIOSK_SYNC_BACKOFF_BASE_SECONDS": "0.05",
                "KIOSK_SYNC_BACKOFF_MAX_SECONDS": "0.4", "KIOSK_HEARTBEAT_SECONDS": "1",
                "KIOSK_CARD_POLL_SECONDS": "0.1", "KIOSK_PRINTER_POLL_SECONDS": "0.3"}


@dataclass
class Platform:
    data_dir: Path
    database_url: str | None
    port: int = field(default_factory=free_port)
    env: dict[str, str] = field(default_factory=dict)
    workers: int = 1
    process: Process | None = None
    _token: str = ""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Platform:
        args = ["platform", "--data-dir", str(self.data_dir), "--port", str(self.port)]
        if self.database_url:
            args += ["--database-url", self.database_url]
        if self.workers > 1:
            args += ["--workers", str(self.workers)]
        self.process = start(f"platform-{self.port}", kiosk(*args), self.data_dir,
                             {**FAST_PLATFORM, **self.env})
        wait_for(http_ok(self.url + "/api/health"), self.process, timeout=60)
        return self

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process is not None:
            self.process.stop(sig)

    def ticket_action(self, ticket_no: str, action: str, body: dict[str, Any]) -> dict[str, Any]:
        """Do one step of a ticket's workflow as the administrator; return the ticket."""
        with self.staff() as staff:
            response = staff.post(f"/api/staff/tickets/{ticket_no}/{action}", json=body)
            assert response.status_code == 200, response.text
            result: dict[str, Any] = response.json()
            return result

    def staff(self) -> httpx.Client:
        """A client signed in as the demo administrator."""
        if not self._token:
            response = httpx.post(self.url + "/api/auth/login", json=ADMIN, timeout=10)
            response.raise_for_status()
            self._token = response.json()["token"]
        return httpx.Client(base_url=self.url, timeout=30,
                            headers={"Authorization": f"Bearer {self._token}"})

    def station(self, station_id: str) -> dict[str, Any]:
        with self.staff() as staff:
            body: dict[str, Any] = staff.get(f"/api/staff/stations/{station_id}").json()
            return body

    def events(self, station_id: str) -> list[dict[str, Any]]:
        with self.staff() as staff:
            body: list[dict[str, Any]] = staff.get(f"/api/staff/stations/{station_id}/events",
                                                   params={"limit": 5000}).json()
            return body

    def create_station(self, station_id: str, station_code: str) -> str:
        """Create a station and return a one-time enrolment code for it."""
        with self.staff() as staff:
            created = staff.post("/api/staff/stations", json={
                "station_id": station_id, "name": f"test {station_id}", "community_code": COMMUNITY,
                "station_code": station_code})
            assert created.status_code == 201, created.text
            code = staff.post(f"/api/staff/stations/{station_id}/enrolment-codes")
            assert code.status_code == 201, code.text
            return str(code.json()["code"])


@contextmanager
def running_platform(data_dir: Path, database_url: str | None,
                     env: dict[str, str] | None = None, workers: int = 1) -> Iterator[Platform]:
    platform = Platform(data_dir, database_url, env=env or {}, workers=workers).start()
    try:
        yield platform
    finally:
        platform.stop()


@dataclass
class Kiosk:
    """An enrolled station (``kiosk sim`` + ``kiosk station``) whose process the test controls."""

    data_dir: Path
    station_id: str
    sims: Simulators
    env: dict[str, str]
    port: int = field(default_factory=free_port)
    process: Process | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Kiosk:
        self.process = start(f"station-{self.port}", kiosk("station", "--data-dir", str(self.data_dir),
                                                           "--port", str(self.port)),
                             self.data_dir, {**FAST_STATION, **self.env})
        wait_for(http_ok(self.url + "/api/health"), self.process, timeout=60)
        return self

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flush — as a power cut would."""
        assert self.process is not None
        self.process.popen.send_signal(signal.SIGKILL)
        self.process.popen.wait(10)

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()

    @property
    def auth(self) -> StationToken:
        return StationToken(self.data_dir)

    def client(self) -> httpx.Client:
        """A client of this station's API, with its token."""
        return httpx.Client(base_url=self.url, timeout=30, auth=self.auth)

    def metric(self, name: str) -> float:
        text = httpx.get(self.url + "/metrics", timeout=10, auth=self.auth).text
        for line in text.splitlines():
            if line.startswith(name + " ") or line.startswith(name + "{"):
                return float(line.rsplit(" ", 1)[1])
        raise AssertionError(f"no metric {name}")

    def wait_register(self) -> None:
        """Wait until the platform's register has arrived (so residents can be identified)."""
        poll(lambda: self.metric("kiosk_sync_changes_cursor") > 0, "the first changes")

    def issue(self, count: int, prefix: str) -> list[dict[str, Any]]:
        """Identify resident 张三 by card and issue ``count`` certificates."""
        responses = self.try_issue(count, prefix)
        for response in responses:
            assert response.status_code == 201, response.text
        return [r.json() for r in responses]

    def try_issue(self, count: int, prefix: str) -> list[httpx.Response]:
        """Identify resident 张三 by card and ask for ``count`` certificates; return the answers."""
        with self.client() as client:
            session = self.sims.identify(client)
            try:
                return [client.post("/api/certificates", json={
                    "session_id": session, "type_code": "JZZM", "purpose": "school",
                    "idempotency_key": f"{prefix}-{n:04d}"}) for n in range(count)]
            finally:
                client.delete(f"/api/sessions/{session}")
                self.sims.remove_card()

    def outbox_depth(self) -> float:
        return self.metric("kiosk_outbox_pending")


@contextmanager
def enrolled_kiosk(platform: Platform, data_dir: Path, station_id: str, station_code: str, *,
                   platform_url: str | None = None, env: dict[str, str] | None = None,
                   start_station: bool = True) -> Iterator[Kiosk]:
    """Create the station on the platform, enrol it, run its simulators and (by default) it."""
    from backend.station.sync.enrolment import enroll

    data_dir.mkdir(parents=True, exist_ok=True)
    enroll(data_dir=data_dir, url=platform.url, code=platform.create_station(station_id, station_code))
    station_env = {**(env or {})}
    if platform_url:
        station_env["KIOSK_PLATFORM_URL"] = platform_url
    with simulators(data_dir) as sims:
        machine = Kiosk(data_dir, station_id, sims, station_env)
        try:
            if start_station:
                machine.start()
            yield machine
        finally:
            machine.stop()


def enrolment_of(data_dir: Path) -> dict[str, Any]:
    body: dict[str, Any] = json.loads((data_dir / "enrolment.json").read_text())
    return body
