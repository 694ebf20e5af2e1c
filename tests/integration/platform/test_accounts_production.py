"""A database carried over from the demo into production: the platform refuses to start while an
account has the demo password, ``kiosk users`` resets it, the new password must be changed before
anything else; production closes /docs and wants a token for /metrics."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import httpx

from backend.platform.clock import SystemClock
from backend.platform.live import InProcessLiveBus
from backend.platform.runtime import build_runtime
from backend.platform.settings import PlatformSettings
from support.platform_stack import ADMIN, running_platform
from support.stack import REPO, kiosk

PRODUCTION = {"KIOSK_PLATFORM_ENVIRONMENT": "production",
              "KIOSK_PLATFORM_ADMIN_PASSWORD": "a-real-production-secret",
              "KIOSK_PLATFORM_METRICS_TOKEN": "scraper-token-0123456789"}
TEMPORARY, OWN = "temporary-pass-0001", "my-own-password-0002"


def _kiosk(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(kiosk(*args), input=stdin, capture_output=True, text=True, cwd=REPO, timeout=120,
                          env={**os.environ, **env})


def test_production_refuses_the_demo_password_until_it_is_reset(tmp_path: Path) -> None:
    folder = tmp_path / "platform"
    build_runtime(PlatformSettings(data_dir=folder), clock=SystemClock(),
                  live=InProcessLiveBus()).engine.dispose()  # a demo platform: admin / demo password

    refused = _kiosk(PRODUCTION, "platform", "--data-dir", str(folder), "--port", "1")
    assert refused.returncode == 2, refused.stderr
    assert "platform.demo_password" in refused.stderr and "admin" in refused.stderr
    assert "kiosk users reset-password" in refused.stderr

    reset = _kiosk(PRODUCTION, "users", "reset-password", "admin", "--data-dir", str(folder),
                   "--password-stdin", stdin=TEMPORARY + "\n")
    assert reset.returncode == 0, reset.stderr
    listed = _kiosk(PRODUCTION, "users", "list", "--data-dir", str(folder))
    assert "admin" in listed.stdout and "must-change-password" in listed.stdout

    with running_platform(folder, None, env=PRODUCTION) as platform:
        assert httpx.post(platform.url + "/api/auth/login", json=ADMIN).status_code == 401
        token = httpx.post(platform.url + "/api/auth/login",
                           json={"username": "admin", "password": TEMPORARY}).json()["token"]
        with httpx.Client(base_url=platform.url, headers={"Authorization": f"Bearer {token}"}) as admin:
            blocked = admin.get("/api/staff/stations")
            assert (blocked.status_code, blocked.json()["code"]) == (403, "auth.password_change_required")
            assert admin.get("/api/auth/me").json()["must_change_password"] is True
            wrong = admin.post("/api/auth/password", json={"current_password": "nope",
                                                           "new_password": OWN})
            assert wrong.json()["code"] == "user.wrong_password"
            changed = admin.post("/api/auth/password", json={"current_password": TEMPORARY,
                                                             "new_password": OWN})
            assert changed.status_code == 200, changed.text
            assert admin.get("/api/staff/stations").status_code == 200

        assert httpx.get(platform.url + "/docs").status_code == 404
        assert httpx.get(platform.url + "/openapi.json").status_code == 404
        assert httpx.get(platform.url + "/metrics").status_code == 401
        scraped = httpx.get(platform.url + "/metrics",
                            headers={"Authorization": f"Bearer {PRODUCTION['KIOSK_PLATFORM_METRICS_TOKEN']}"})
        assert scraped.status_code == 200 and "kiosk_platform_stations_online" in scraped.text
