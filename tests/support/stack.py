"""Run the real processes on loopback — ``kiosk sim`` and ``kiosk station`` — in a temporary
data folder, as a technician would, and give tests their URLs and control clients."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[2]


def poll(check: Callable[[], Any], what: str, timeout: float = 20, every: float = 0.05) -> Any:
    """Return check()'s first truthy value, or fail naming what never happened."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what} (last: {value!r})")
        time.sleep(every)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def kiosk(*args: str) -> list[str]:
    return [sys.executable, "-m", "kioskcli", *args]


@dataclass
class Process:
    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def stop(self, sig: int = 15) -> None:
        if self.popen.poll() is None:
            self.popen.send_signal(sig)
            try:
                self.popen.wait(10)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()


def start(name: str, command: list[str], data_dir: Path, env: dict[str, str] | None = None) -> Process:
    log = data_dir / f"{name}.test.log"
    data_dir.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as out:
        popen = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=REPO,
                                 env={**os.environ, "KIOSK_DATA_DIR": str(data_dir), **(env or {})})
    return Process(name, popen, log)


def wait_for(check: Callable[[], bool], process: Process, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        if process.popen.poll() is not None:
            raise RuntimeError(f"{process.name} exited {process.popen.returncode}:\n{process.output()}")
        time.sleep(0.05)
    raise RuntimeError(f"{process.name} not ready in {timeout} s:\n{process.output()}")


def http_ok(url: str) -> Callable[[], bool]:
    def check() -> bool:
        try:
            return httpx.get(url, timeout=1).status_code == 200
        except httpx.HTTPError:
            return False
    return check


@dataclass
class Simulators:
    process: Process
    data_dir: Path
    endpoints: dict[str, Any] = field(default_factory=dict)
    base_jobs: int = 0  # printer jobs from earlier tests sharing these simulators

    @property
    def control(self) -> str:
        return str(self.endpoints["control"])

    def call(self, method: str, path: str, body: Any = None) -> Any:
        response = httpx.request(method, self.control + path, json=body, timeout=10)
        response.raise_for_status()
        return response.json()

    def fault(self, device: str, fault: str, **params: Any) -> Any:
        return self.call("POST", f"/devices/{device}/faults", {"fault": fault, "params": params})

    def clear(self, device: str) -> Any:
        return self.call("DELETE", f"/devices/{device}/faults")

    def insert_card(self, resident: str = "1") -> Any:
        return self.call("POST", "/devices/idcard/card", {"resident": resident})

    def remove_card(self) -> Any:
        return self.call("DELETE", "/devices/idcard/card")

    def identify(self, station: httpx.Client, service: str = "certificates", resident: str = "1",
                 timeout: float = 15) -> str:
        """Open a session at the station (``station``: a client of its API), place ``resident``'s
        card on the reader and return the session's id once the card identified it."""
        session = str(station.post("/api/sessions", json={"service": service}).json()["id"])
        self.insert_card(resident)
        poll(lambda: station.get(f"/api/sessions/{session}").json()["identity"],
             f"the card of resident {resident} to be read", timeout)
        return session

    def jobs(self) -> list[dict[str, Any]]:
        """The printer's jobs since this test began."""
        result: list[dict[str, Any]] = self.call("GET", "/devices/printer/jobs")
        return result[self.base_jobs:]

    def reset(self) -> None:
        """Leave the simulators as a new test expects them: no faults, no card, no jobs counted."""
        for device in ("printer", "idcard", "scanner", "camera"):
            self.clear(device)
        self.remove_card()
        self.base_jobs += len(self.jobs())

    def wait_for_jobs(self, count: int, timeout: float = 15) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            jobs = self.jobs()
            if len(jobs) >= count:
                return jobs
            time.sleep(0.05)
        raise AssertionError(f"expected {count} printer jobs, have {len(self.jobs())}")


@contextmanager
def simulators(data_dir: Path, *args: str) -> Iterator[Simulators]:
    endpoints_file = data_dir / "sim" / "endpoints.json"
    process = start("sim", kiosk("sim", "--data-dir", str(data_dir), "--printer-port", "0", *args), data_dir)
    try:
        wait_for(endpoints_file.exists, process)
        yield Simulators(process, data_dir, json.loads(endpoints_file.read_text()))
    finally:
        process.stop()


class StationToken(httpx.Auth):
    """The station API's bearer token, read from its data folder at every request (a restarted
    station writes a new one), as the kiosk's own programs do."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / "station-api.token"

    def header(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.path.read_text().strip()}"} if self.path.exists() else {}

    def auth_flow(self, request: httpx.Request) -> Iterator[httpx.Request]:
        if "Authorization" not in request.headers:  # a staff call brings its own (the staff token)
            request.headers.update(self.header())
        yield request


@dataclass
class Station:
    process: Process
    url: str
    data_dir: Path

    @property
    def auth(self) -> StationToken:
        return StationToken(self.data_dir)

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30, auth=self.auth)


@contextmanager
def station(data_dir: Path, *args: str, env: dict[str, str] | None = None) -> Iterator[Station]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = start("station", kiosk("station", "--data-dir", str(data_dir), "--port", str(port), *args),
                    data_dir, env)
    try:
        wait_for(http_ok(url + "/api/health"), process)
        yield Station(process, url, data_dir)
    finally:
        process.stop()
