"""The technician's maintenance API: PIN, self-tests, a job, the fault list and history."""

from __future__ import annotations

import time
from pathlib import Path

from support.fixtures import shared_stack
from support.stack import Simulators, Station, station

_stack, running_station, sims, data_dir = shared_stack()

PIN = {"X-Technician-Pin": "00000000"}  # the demo's PIN


def test_the_pin_is_required_and_a_wrong_one_makes_the_next_try_wait(running_station: Station) -> None:
    with running_station.client() as client:
        refused = client.post("/api/maintenance/components/printer/selftest", headers={"X-Technician-Pin": "1"})
        assert refused.status_code == 401 and refused.json()["code"] == "maintenance.wrong_pin"
        for headers in ({}, PIN):  # at once after a wrong PIN, even the right one waits
            waiting = client.post("/api/maintenance/components/printer/selftest", headers=headers)
            assert waiting.status_code == 429 and waiting.json()["code"] == "maintenance.pin_wait"
        time.sleep(0.6)
        assert client.get("/api/maintenance/faults", headers=PIN).status_code == 200


def test_guessing_the_pin_locks_maintenance(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    env = {"KIOSK_PIN_LOCKOUT_AFTER": "3", "KIOSK_PIN_LOCKOUT_SECONDS": "2"}
    with station(folder, env=env) as guarded, guarded.client() as client:
        answers = []
        started = time.monotonic()
        for guess in range(1, 1001):  # what took 0.8 s before
            answer = client.get("/api/maintenance/faults", headers={"X-Technician-Pin": f"{guess:08d}"})
            answers.append(answer.json()["code"])
            if answers[-1] == "maintenance.pin_locked" or time.monotonic() - started > 5:
                break
            if answer.status_code == 429:
                time.sleep(0.05)
        evaluated = [a for a in answers if a == "maintenance.wrong_pin"]
        assert len(evaluated) == 3 and answers[-1] == "maintenance.pin_locked"  # then nothing is tried
        assert client.get("/api/maintenance/faults", headers=PIN).json()["code"] == "maintenance.pin_locked"
        time.sleep(2.1)
        assert client.get("/api/maintenance/faults", headers=PIN).status_code == 200


def test_printer_selftest_and_a_technicians_job_print(running_station: Station, sims: Simulators) -> None:
    with running_station.client() as client:
        tested = client.post("/api/maintenance/components/printer/selftest", headers=PIN).json()
        assert tested["ok"] and tested["status"]["code"] == "OK"
        job = client.post("/api/maintenance/printer/jobs", headers=PIN, json={"blocks": [
            {"kind": "title", "text": "维护测试"}, {"kind": "kv", "text": "站点", "value": "S01"},
            {"kind": "qr", "text": "HELLO-TECHNICIAN"}, {"kind": "cut"}]})
        assert job.status_code == 200, job.text
        printed = sims.wait_for_jobs(2)
        assert printed[-1]["qr_codes"][0]["payload"] == "HELLO-TECHNICIAN"


def test_a_failed_selftest_says_why(running_station: Station, sims: Simulators) -> None:
    with running_station.client() as client:
        injected = client.post("/api/maintenance/sim/printer/faults", headers=PIN, json={"fault": "cover_open"})
        assert injected.status_code == 200 and "cover_open" in injected.json()["faults"]
        deadline = time.monotonic() + 10
        while client.post("/api/components/printer/refresh").json()["status"]["code"] != "COVER_OPEN":
            assert time.monotonic() < deadline
            time.sleep(0.1)
        tested = client.post("/api/maintenance/components/printer/selftest", headers=PIN).json()
        assert not tested["ok"] and tested["error"]["code"] == "printer.cover_open"
        unknown = client.post("/api/maintenance/sim/printer/faults", headers=PIN, json={"fault": "on_fire"})
        assert unknown.status_code == 422 and "unknown fault" in unknown.json()["detail"]
        history = client.get("/api/maintenance/history", headers=PIN).json()
        assert any(e["data"].get("status", {}).get("code") == "COVER_OPEN" for e in history)
        assert client.delete("/api/maintenance/sim/printer/faults", headers=PIN).json()["faults"] == {}


def test_the_fault_list_is_the_simulators_list(running_station: Station) -> None:
    with running_station.client() as client:
        faults = client.get("/api/maintenance/faults", headers=PIN).json()
    assert {"paper_out", "cover_open", "offline"} <= {f["name"] for f in faults["printer"]}
    assert {"silence", "garbage", "expired_card"} <= {f["name"] for f in faults["idcard"]}
