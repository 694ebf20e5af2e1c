"""Every simulated fault, as the station lives it: a defined component state, a clear message for
the resident, a record of the failed job, and recovery without restarting anything."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from support.stack import Simulators, Station, poll, simulators, station


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Station, Simulators, Path]]:
    """One station and its simulators for the module: every test ends with its fault cleared."""
    data_dir = tmp_path_factory.mktemp("faults") / "data"
    with simulators(data_dir) as sims, station(data_dir, env={"KIOSK_PRINTER_POLL_SECONDS": "0.5"}) as running:
        yield running, sims, data_dir


@pytest.fixture
def running_station(stack: tuple[Station, Simulators, Path]) -> Iterator[Station]:
    running, sims, _ = stack
    yield running
    for device in ("printer", "idcard"):
        sims.clear(device)
    sims.remove_card()


@pytest.fixture
def sims(stack: tuple[Station, Simulators, Path]) -> Simulators:
    return stack[1]


@pytest.fixture
def data_dir(stack: tuple[Station, Simulators, Path]) -> Path:
    return stack[2]


def _component(client: httpx.Client, cid: str, want: str, timeout: float = 10) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        snapshot: dict[str, Any] = client.post(f"/api/components/{cid}/refresh").json()
        if snapshot["status"]["code"] == want or time.monotonic() > deadline:
            return snapshot
        time.sleep(0.1)


def _issued(client: httpx.Client, sims: Simulators, key: str) -> tuple[str, str]:
    sims.remove_card()
    session = sims.identify(client)
    certificate = client.post("/api/certificates", json={
        "session_id": session, "type_code": "JZZM", "purpose": "school", "idempotency_key": key}).json()
    return session, certificate["id"]


def _jobs(data_dir: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(data_dir / "station.db") as db:
        return db.execute("SELECT result, error_code FROM print_jobs ORDER BY id").fetchall()


PRINTER_FAULTS = [
    # fault, params, component code, API error code
    ("paper_out", {}, "MEDIA_EMPTY", "printer.media_empty"),
    ("cover_open", {}, "COVER_OPEN", "printer.cover_open"),
    ("jam", {}, "MEDIA_JAMMED", "printer.media_jammed"),
    ("offline", {}, "NOT_RESPONDING", "printer.not_responding"),
]


@pytest.mark.parametrize(("fault", "params", "status", "error"), PRINTER_FAULTS)
def test_printer_fault_and_recovery(running_station: Station, sims: Simulators, data_dir: Path,
                                    fault: str, params: dict[str, Any], status: str, error: str) -> None:
    with running_station.client() as client:
        session, certificate = _issued(client, sims, f"fault-{fault}-key")
        sims.fault("printer", fault, **params)
        broken = _component(client, "printer", status)["status"]
        assert (broken["state"], broken["code"]) == ("UNAVAILABLE", status)
        failed = client.post(f"/api/certificates/{certificate}/print", json={"session_id": session})
        assert failed.status_code == 503 and failed.json()["code"] == error
        assert failed.json()["message"]["zh"] and failed.json()["message"]["en"]
        assert _jobs(data_dir)[-1] == ("failed", error)
        service = {s["code"]: s for s in client.get("/api/station").json()["services"]}["certificates"]
        assert service["state"] == "UNAVAILABLE"

        sims.clear("printer")
        assert _component(client, "printer", "OK")["status"]["state"] == "READY"
        printed = client.post(f"/api/certificates/{certificate}/print", json={"session_id": session})
        assert printed.status_code == 200 and printed.json()["state"] == "printed"
        assert _jobs(data_dir)[-1] == ("printed", "")


def test_paper_low_is_a_warning_that_still_prints(running_station: Station, sims: Simulators) -> None:
    with running_station.client() as client:
        session, certificate = _issued(client, sims, "fault-low-key")
        sims.fault("printer", "paper_low")
        low = _component(client, "printer", "MEDIA_LOW")
        assert low["status"]["state"] == "READY"
        printed = client.post(f"/api/certificates/{certificate}/print", json={"session_id": session})
        assert printed.status_code == 200


def test_a_dropped_connection_fails_one_job_and_the_next_prints(running_station: Station,
                                                                sims: Simulators, data_dir: Path) -> None:
    with running_station.client() as client:
        session, certificate = _issued(client, sims, "fault-drop-key")
        sims.fault("printer", "slow", bytes_per_second=400)  # keep the job on the wire…
        outcome: dict[str, httpx.Response] = {}
        worker = threading.Thread(target=lambda: outcome.setdefault("r", client.post(
            f"/api/certificates/{certificate}/print", json={"session_id": session})))
        worker.start()
        poll(lambda: sims.call("GET", "/devices")["printer"]["connections"] > 0, "the station to connect to the printer", 10)
        sims.fault("printer", "drop_connection")  # …and pull the cable
        worker.join(30)
        assert outcome["r"].status_code == 503
        assert outcome["r"].json()["code"].startswith("printer.")
        sims.clear("printer")
        assert _component(client, "printer", "OK")["status"]["code"] == "OK"
        again = client.post(f"/api/certificates/{certificate}/print", json={"session_id": session})
        assert again.status_code == 200


@pytest.mark.parametrize(("fault", "code"), [("silence", "TIMEOUT"), ("garbage", "DATA_CORRUPTED"),
                                             ("checksum_error", "DATA_CORRUPTED")])
def test_card_reader_faults_and_recovery(running_station: Station, sims: Simulators, fault: str,
                                         code: str) -> None:
    with running_station.client() as client:
        sims.fault("idcard", fault)
        broken = _component(client, "idcard", code)
        assert broken["status"]["state"] == "UNAVAILABLE" and broken["status"]["code"] == code
        service = {s["code"]: s for s in client.get("/api/station").json()["services"]}["certificates"]
        assert service["state"] == "UNAVAILABLE" and service["reason"] == "hardware"
        sims.clear("idcard")
        assert _component(client, "idcard", "OK")["status"]["state"] == "READY"
