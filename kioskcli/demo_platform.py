"""For ``kiosk up``: run the platform beside the station and, in the demo, enrol the station with
it the way staff and a technician would (staff API: sign in, create the station, make a code;
then ``kiosk enroll``)."""

from __future__ import annotations

import argparse
from pathlib import Path

import httpx

from .processes import http_ok, kiosk_command
from .supervisor import Supervisor

DEMO_STATION = {"name": "桂林社区24小时智慧服务站", "community_code": "460107002001"}
DEMO_IDS = [(f"guilin-{n:02d}", f"S{n:02d}") for n in range(1, 10)]


def start_platform(supervisor: Supervisor, args: argparse.Namespace, data_dir: Path,
                   env: dict[str, str], url: str) -> None:
    """Start ``kiosk platform`` on SQLite in <data dir>/platform and wait until it answers."""
    supervisor.start("platform", kiosk_command("platform", "--data-dir", str(data_dir / "platform"),
                                               "--host", args.host, "--port", str(args.platform_port)),
                     env=env, ready=http_ok(url + "/api/health"), ready_timeout=60)


def ensure_enrolled(data_dir: Path, url: str, *, username: str, password: str) -> str:
    """Enrol the demo station unless it already is; return its station id."""
    from backend.station.sync.enrolment import EnrolmentError, enroll, load_enrolment

    existing = load_enrolment(data_dir)
    if existing is not None:
        return existing.station_id
    with httpx.Client(base_url=url, timeout=30) as staff:
        token = staff.post("/api/auth/login", json={"username": username, "password": password})
        if token.status_code != 200:
            raise RuntimeError(f"cannot sign in to the platform as {username}: {token.text}")
        staff.headers["Authorization"] = f"Bearer {token.json()['token']}"
        for station_id, station_code in DEMO_IDS:
            code = _enrolment_code(staff, station_id, station_code)
            try:
                return enroll(data_dir=data_dir, url=url, code=code).station_id
            except EnrolmentError as err:
                if err.code != "enrolment.sequence_behind":
                    raise RuntimeError(f"enrolment failed: {err}") from err
                # This station's database restarted; the platform keeps the old one's records.
    raise RuntimeError("no free demo station id left to enrol with")


def _enrolment_code(staff: httpx.Client, station_id: str, station_code: str) -> str:
    if staff.get(f"/api/staff/stations/{station_id}").status_code == 404:
        created = staff.post("/api/staff/stations", json={**DEMO_STATION, "station_id": station_id,
                                                          "station_code": station_code})
        if created.status_code != 201:
            raise RuntimeError(f"cannot create the demo station: {created.text}")
    response = staff.post(f"/api/staff/stations/{station_id}/enrolment-codes")
    if response.status_code != 201:
        raise RuntimeError(f"cannot make an enrolment code: {response.text}")
    return str(response.json()["code"])
