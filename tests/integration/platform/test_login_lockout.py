"""Sign-in limits on a real multi-worker platform over PostgreSQL: concurrent wrong passwords
cannot outrun the lockout, and one client address is slowed down after a burst."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

import httpx
import pytest

from support.platform_stack import ADMIN, running_platform
from support.postgres import fresh_database, server_url

pytestmark = pytest.mark.postgres
ATTEMPTS = 120
MAX_FAILED = 5


async def _wrong_passwords(url: str, username: str, count: int) -> Counter[str]:
    limits = httpx.Limits(max_connections=count)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:
        answers = await asyncio.gather(*(client.post("/api/auth/login", json={
            "username": username, "password": f"wrong-{n}"}) for n in range(count)))
    return Counter(a.json()["code"] for a in answers)


def test_concurrent_wrong_passwords_get_at_most_the_threshold_before_the_lock(tmp_path: Path) -> None:
    # The per-address and per-name windows are opened wide: what is tested is the database's count.
    env = {"KIOSK_PLATFORM_MAX_FAILED_LOGINS": str(MAX_FAILED), "KIOSK_PLATFORM_LOGIN_RATE_PER_IP": "10000",
           "KIOSK_PLATFORM_LOGIN_RATE_PER_USER": "10000"}
    with fresh_database(server_url()) as url, \
            running_platform(tmp_path / "platform", url, env=env, workers=4) as platform:
        answers = asyncio.run(_wrong_passwords(platform.url, ADMIN["username"], ATTEMPTS))
        assert answers["auth.bad_credentials"] <= MAX_FAILED, answers
        assert answers["auth.locked"] >= ATTEMPTS - MAX_FAILED, answers
        right = httpx.post(platform.url + "/api/auth/login", json=ADMIN, timeout=30)
        assert right.status_code == 429 and right.json()["code"] == "auth.locked"


def test_a_burst_from_one_address_is_rate_limited(tmp_path: Path) -> None:
    env = {"KIOSK_PLATFORM_LOGIN_RATE_PER_IP": "8", "KIOSK_PLATFORM_LOGIN_RATE_PER_USER": "1000",
           "KIOSK_PLATFORM_MAX_FAILED_LOGINS": "1000"}
    with running_platform(tmp_path / "platform", None, env=env) as platform:
        codes = [httpx.post(platform.url + "/api/auth/login", timeout=30,
                            json={"username": f"nobody-{n}", "password": "wrong"}).json()["code"]
                 for n in range(12)]
    assert codes[:8] == ["auth.bad_credentials"] * 8
    assert codes[8:] == ["auth.rate_limited"] * 4
