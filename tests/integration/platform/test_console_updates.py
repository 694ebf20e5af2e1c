"""Updates in the console and the staff API against a running platform (SQLite and PostgreSQL): a
signed bundle uploaded through the form, a rollout to the community started, shown with its
progress by community and each station's version, paused and aborted; the staff API refuses
technicians; the station downloads the bundle with a signed ranged request; /metrics counts
versions."""

from __future__ import annotations

import re
import secrets
from pathlib import Path

import httpx

from backend.shared.tokens.keyfiles import generate_signer
from backend.station.sync.client import PlatformClient
from backend.station.sync.enrolment import enroll, request_signer
from support.platform_stack import COMMUNITY, Platform
from support.update_rig import make_bundle

from .test_console import admin, signed_in, technician  # noqa: F401  (fixtures)


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found
    return found.group(1)


def test_upload_roll_out_pause_and_abort_in_the_console(platform: Platform, admin: httpx.Client,  # noqa: F811
                                                        technician: httpx.Client, tmp_path: Path,  # noqa: F811
                                                        station_dir: Path) -> None:
    station_id = f"qs-upd-{secrets.token_hex(3)}"
    enroll(data_dir=station_dir, url=platform.url,
           code=platform.create_station(station_id, f"S{secrets.randbelow(900) + 100}"))
    version = f"7.{secrets.randbelow(1000)}.0"
    bundle = make_bundle(tmp_path, generate_signer(), version=version)

    page = admin.get("/console/updates")
    assert page.status_code == 200 and station_id in page.text
    uploaded = admin.post("/console/updates/releases", data={"csrf": _csrf(page.text)},
                          files={"bundle": (bundle.name, bundle.read_bytes(), "application/x-tar")})
    assert uploaded.status_code == 303 and "done=done.release_uploaded" in uploaded.headers["location"]
    started = admin.post("/console/updates/rollouts", data={
        "csrf": _csrf(page.text), "version": version, "station_ids": station_id, "canary_percent": "0",
        "window_start": "02:00", "window_end": "05:00"})
    assert "done=done.rollout_started" in started.headers["location"], started.headers["location"]

    with platform.staff() as staff:
        rollout = next(r for r in staff.get("/api/staff/rollouts").json() if r["version"] == version)
        assert rollout["state"] == "rolling" and rollout["stations"] == 1
    shown = admin.get("/console/updates").text
    assert f"#{rollout['id']} · {version}" in shown and COMMUNITY in shown and "0/1" in shown

    # The station fetches the bundle with a signed request, resuming from a byte offset.
    client = PlatformClient(platform.url, station_id=station_id, signer=request_signer(station_dir / "keys"))
    with client.open_release(version, 100) as part:
        assert part.status_code == 206 and part.read() == bundle.read_bytes()[100:]
    assert httpx.get(f"{platform.url}/api/sync/releases/{version}", timeout=10).status_code == 401  # unsigned

    refused = technician.post(f"/console/updates/rollouts/{rollout['id']}/pause",
                              data={"csrf": _csrf(technician.get("/console/updates").text)})
    assert "error=auth.forbidden" in refused.headers["location"]
    paused = admin.post(f"/console/updates/rollouts/{rollout['id']}/pause", data={"csrf": _csrf(page.text)})
    assert "done=done.rollout_changed" in paused.headers["location"]
    aborted = admin.post(f"/console/updates/rollouts/{rollout['id']}/abort", data={"csrf": _csrf(page.text)})
    assert "done=done.rollout_changed" in aborted.headers["location"]
    with platform.staff() as staff:
        view = staff.get(f"/api/staff/rollouts/{rollout['id']}").json()
    assert view["state"] == "aborted" and view["by_state"] == {"aborted": 1}
    assert "kiosk_platform_station_versions{" in httpx.get(platform.url + "/metrics", timeout=10).text
