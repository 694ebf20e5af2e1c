"""``kiosk demo-fleet`` (what ``kiosk up --stations N`` starts): headless demo stations enrolled
in the district's other communities, heartbeating, issuing and faulting over the real protocol,
against a real platform on loopback."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from backend.shared.district import load_district
from backend.shared.tokens import import_jwks
from backend.shared.verification import verify_certificate
from support.platform_stack import Platform, running_platform
from support.stack import kiosk, poll


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    with running_platform(tmp_path_factory.mktemp("fleet-platform"), None) as running:
        yield running


def _fleet(platform: Platform, data_dir: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(kiosk("demo-fleet", "--data-dir", str(data_dir), "--platform", platform.url,
                                  "--stations", "2", "--period", "0.3", *extra),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _stations(platform: Platform) -> dict[str, dict[str, Any]]:
    with platform.staff() as staff:
        return {s["id"]: s for s in staff.get("/api/staff/stations").json() if s["id"].startswith("qs-")}


def test_the_fleet_joins_other_communities_and_reports_like_stations(platform: Platform, tmp_path: Path) -> None:
    own = load_district().station_community.code
    fleet = _fleet(platform, tmp_path, "--issue-chance", "1", "--fault-chance", "1")
    try:
        stations = poll(lambda: (s := _stations(platform)) and len(s) == 2
                        and all(v["events_applied"] >= 3 for v in s.values()) and s, "two busy stations")
        assert {s["status"] for s in stations.values()} == {"enrolled"}
        assert own not in {s["community_code"] for s in stations.values()}  # other communities
        with platform.staff() as staff:
            poll(lambda: [a for a in staff.get("/api/staff/alerts").json() if a["station_id"] in stations
                          and a["kind"] in ("printer_paper_out", "printer_jammed")], "a printer fault's alert")
            registered = [c for station_id in stations
                          for c in staff.get(f"/api/staff/stations/{station_id}/certificates").json()]
            reported = [e["payload"] for station_id in stations
                        for e in staff.get(f"/api/staff/stations/{station_id}/events").json()]
        assert registered and {c["serial"] for c in registered} <= {p["serial"] for p in reported}
        trust = import_jwks(httpx.get(platform.url + "/api/trust.jwks.json", timeout=10).json())
        verdict = verify_certificate(reported[0]["token"], keys=trust, now=datetime.now(UTC))
        assert verdict.valid, verdict.as_dict()  # a real token, bound to the station that issued it
    finally:
        fleet.terminate()
        fleet.wait(10)
    applied = {k: v["events_applied"] for k, v in _stations(platform).items()}
    again = _fleet(platform, tmp_path, "--issue-chance", "1")  # restarted: same keys, seq carries on
    try:
        poll(lambda: all(_stations(platform)[k]["events_applied"] > n for k, n in applied.items()),
             "the restarted fleet to issue again")
    finally:
        again.terminate()
        again.wait(10)
    after = _stations(platform)
    assert len(after) == 2 and all(s["gaps"] == 0 and s["duplicates"] == 0 for s in after.values()), after
