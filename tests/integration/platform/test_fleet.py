"""Fleet health and staff actions end to end: alerts that open and resolve themselves, commands
and their results, the register reaching the station, revocations, the live stream."""

from __future__ import annotations

import re
import shutil
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from support.platform_stack import Kiosk, Platform, enrolled_kiosk, running_platform
from support.stack import poll

STATION = "fleet-01"


@pytest.fixture(scope="module")
def machine(platform: Platform, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Kiosk]:
    """One enrolled station the module's tests take turns with (each leaves it as it found it)."""
    with enrolled_kiosk(platform, tmp_path_factory.mktemp("fleet"), STATION, "S41") as running:
        running.wait_register()
        yield running


def _open_alerts(platform: Platform) -> set[str]:
    with platform.staff() as staff:
        return {a["kind"] for a in staff.get("/api/staff/alerts").json() if a["station_id"] == STATION}


def _command(platform: Platform, kind: str, **params: Any) -> dict[str, Any]:
    with platform.staff() as staff:
        sent = staff.post(f"/api/staff/stations/{STATION}/commands", json={"kind": kind, "params": params})
        assert sent.status_code == 201, sent.text

        def finished() -> dict[str, Any] | None:
            mine = [c for c in staff.get(f"/api/staff/stations/{STATION}/commands").json()
                    if c["id"] == sent.json()["id"]]
            return mine[0] if mine and mine[0]["status"] != "pending" else None

        result: dict[str, Any] = poll(finished, f"the {kind} command's result")
        return result


def test_printer_alerts_open_and_resolve_themselves(platform: Platform, machine: Kiosk) -> None:
    machine.sims.fault("printer", "paper_out")
    poll(lambda: "printer_paper_out" in _open_alerts(platform), "the paper-out alert")
    detail = platform.station(STATION)
    printer = next(c for c in detail["components"] if c["id"] == "printer")
    assert (printer["state"], printer["code"]) == ("UNAVAILABLE", "MEDIA_EMPTY")
    machine.sims.clear("printer")
    poll(lambda: "printer_paper_out" not in _open_alerts(platform), "the alert to resolve")
    with platform.staff() as staff:
        history = [a for a in staff.get("/api/staff/alerts", params={"open": "false"}).json()
                   if a["station_id"] == STATION and a["kind"] == "printer_paper_out"]
    assert history[0]["severity"] == "ALARM" and history[0]["resolved_at"] is not None


def test_a_silent_station_goes_offline_and_comes_back(platform: Platform, machine: Kiosk) -> None:
    machine.stop()
    try:
        poll(lambda: "station_offline" in _open_alerts(platform), "the offline alert", timeout=15)
        assert platform.station(STATION)["online"] is False
    finally:
        machine.start()
    poll(lambda: "station_offline" not in _open_alerts(platform), "the offline alert to resolve")
    assert platform.station(STATION)["online"] is True


def test_suspend_and_resume_reach_the_station_and_report_back(platform: Platform, machine: Kiosk) -> None:
    result = _command(platform, "suspend", reason="盘点 / stocktaking")
    assert (result["status"], result["result"]["detail"]) == ("done", "suspended")
    services = httpx.get(machine.url + "/api/station", timeout=10, auth=machine.auth).json()["services"]
    assert {(s["state"], s["note"]) for s in services} == {("SUSPENDED", "盘点 / stocktaking")}
    poll(lambda: platform.station(STATION)["service_state"] == "SUSPENDED", "the suspended state")
    assert _command(platform, "resume")["status"] == "done"
    poll(lambda: platform.station(STATION)["service_state"] == "AVAILABLE", "the station to be back")
    diagnostics = _command(platform, "diagnostics")["result"]["data"]
    assert {c["id"] for c in diagnostics["components"]} >= {"printer", "idcard"}


def test_reprint_by_command_and_revocation_reach_the_station(platform: Platform, machine: Kiosk) -> None:
    certificate = machine.issue(1, "reprint")[0]
    poll(lambda: machine.outbox_depth() == 0, "the certificate to sync")
    result = _command(platform, "reprint", certificate_id=certificate["id"])
    assert result["status"] == "done" and result["result"]["data"]["print_count"] == 1
    machine.sims.wait_for_jobs(1)

    with platform.staff() as staff:
        revoked = staff.post("/api/staff/revocations", json={"identifier": certificate["identifier"],
                                                             "reason": "issued in error"})
        assert revoked.status_code == 201, revoked.text
        audit = staff.get("/api/staff/audit").json()
    assert {"command.reprint", "certificate.revoke"} <= {e["action"] for e in audit}
    with sqlite3.connect(machine.data_dir / "station.db") as db:
        token = db.execute("SELECT token FROM certificates WHERE id = ?", (certificate["id"],)).fetchone()[0]
    poll(lambda: httpx.post(machine.url + "/api/verify", json={"token": token}, timeout=10, auth=machine.auth).json()["verdict"]
         == "revoked", "the station to refuse the revoked certificate")


def test_register_import_reaches_the_station_all_or_nothing(platform: Platform, machine: Kiosk,
                                                             tmp_path: Path) -> None:
    demo = Path("assets/register/demo_register.csv").read_text(encoding="utf-8").splitlines()
    without_zhang = "\n".join(line for line in demo if "张三" not in line) + "\n"
    bad = without_zhang + "460107199001011234,坏行,男,1990-01-01,01,1,1,101,H1,2020-01-01,active\n"
    base = "/api/staff/communities/460107002001/register"
    with platform.staff() as staff:
        refused = staff.post(base, files={"file": ("register.csv", bad.encode(), "text/csv")})
        assert refused.status_code == 422 and refused.json()["code"] == "register.rejected"
        assert refused.json()["context"]["rejected"][0]["reason"] == "bad_id_number"
        preview = staff.post(base, files={"file": ("register.csv", without_zhang.encode(), "text/csv")})
        assert preview.status_code == 201 and preview.json()["removed"] == 1, preview.text
        assert _issue_status(machine) == 201  # nothing changes before the confirmation
        confirmed = staff.post(f"{base}/imports/{preview.json()['id']}/confirm", json={})
        assert confirmed.status_code == 200 and confirmed.json()["removed"] == 1
        poll(lambda: _issue_status(machine) == 403, "张三 to leave the station's register")
        again = staff.post(f"{base}/imports/{preview.json()['id']}/confirm", json={})
        assert again.status_code == 409 and again.json()["code"] == "register.import_closed"
        kept = staff.get(f"{base}/versions").json()
        assert kept[0]["count"] == len(demo) - 1  # the register as it was, before the import
        restore = staff.post(f"{base}/versions/{kept[0]['id']}/restore").json()
        assert restore["added"] == 1 and restore["removed"] == 0
        assert staff.post(f"{base}/imports/{restore['id']}/confirm", json={}).status_code == 200
    poll(lambda: _issue_status(machine) == 201, "张三 to come back")


def test_an_empty_register_is_refused_and_a_large_removal_needs_a_second_yes(platform: Platform) -> None:
    demo = Path("assets/register/demo_register.csv").read_text(encoding="utf-8").splitlines()
    base = "/api/staff/communities/460107002001/register"
    with platform.staff() as staff:
        before = staff.get(f"{base}/size").json()["residents"]
        for empty in (b"", (demo[0] + "\n").encode()):  # what emptied the register once
            refused = staff.post(base, files={"file": ("register.csv", empty, "text/csv")})
            assert refused.status_code == 422
            assert refused.json()["context"]["rejected"][0]["reason"] == "empty"
        half = "\n".join(demo[: 1 + (len(demo) - 1) // 2]).encode("gb18030")  # as Excel in China saves it
        preview = staff.post(base, files={"file": ("register.csv", half, "text/csv")}).json()
        assert preview["encoding"] == "GB18030" and preview["needs_removal_confirmation"]
        assert len(preview["samples"]["removed"]) > 0 and "**" in preview["samples"]["removed"][0]["id_masked"]
        once = staff.post(f"{base}/imports/{preview['id']}/confirm", json={})
        assert once.status_code == 409 and once.json()["code"] == "register.confirm_removal"
        assert staff.get(f"{base}/size").json()["residents"] == before
        assert staff.post(f"{base}/imports/{preview['id']}/cancel").status_code == 200
        assert staff.get(f"{base}/size").json()["residents"] == before
        template = staff.get("/api/staff/register/template.csv")
        assert template.status_code == 200 and template.text.lstrip("\ufeff").startswith("id_number,name,")
        assert not re.search(r"\d{17}[\dXx]", template.text)  # no ID number, even an invented one


def _issue_status(machine: Kiosk) -> int:
    return machine.try_issue(1, f"reg-{uuid.uuid4().hex}")[0].status_code


def test_live_events_reach_a_client_of_another_worker(platform: Platform, tmp_path: Path) -> None:
    """On PostgreSQL through a second platform process (LISTEN/NOTIFY); on SQLite, one process."""
    if platform.database_url is None:
        other_context: Any = _same(platform)
    else:
        # A second worker has the platform's keys, as `kiosk platform --workers N` and a second
        # host given the same keys folder do: with keys of its own it would publish its own
        # identity key at start and the stations sharing this database would take it.
        shutil.copytree(platform.data_dir / "keys", tmp_path / "worker2" / "keys")
        other_context = running_platform(tmp_path / "worker2", platform.database_url)
    with other_context as other:
        received: list[str] = []
        connected = threading.Event()
        with other.staff() as staff:
            token = staff.headers["Authorization"].split()[1]
        reader = threading.Thread(target=_read_stream, args=(other.url, token, received, connected),
                                  daemon=True)
        reader.start()
        assert connected.wait(10)
        with platform.staff() as staff:
            assert staff.post("/api/staff/stations", json={
                "station_id": "live-01", "name": "live", "community_code": "460107002001",
                "station_code": "S49"}).status_code == 201
        poll(lambda: any('"live-01"' in line for line in received), "the event on the other worker",
             timeout=10)
        assert any(line.startswith("event: station.created") for line in received)


class _same:
    def __init__(self, platform: Platform) -> None:
        self.platform = platform

    def __enter__(self) -> Platform:
        return self.platform

    def __exit__(self, *_exc: object) -> None:
        return None


def _read_stream(url: str, token: str, received: list[str], connected: threading.Event) -> None:
    with httpx.stream("GET", url + "/api/staff/stream", params={"access_token": token}, timeout=20) as response:
        for line in response.iter_lines():
            connected.set()
            received.append(line)
            if '"live-01"' in line:
                return
