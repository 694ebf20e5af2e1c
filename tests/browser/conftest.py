"""The staff console in a real browser: Playwright driving Debian's Chromium (headless, never a
browser download) against a real platform and an enrolled station with simulated devices, all on
loopback. One platform and one station serve the whole browser suite; each test has its own
browser context (its own cookies). Screenshots land in test-artifacts/browser/."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from support.platform_stack import Kiosk, Platform, enrolled_kiosk, running_platform
from support.stack import REPO, Process, free_port, poll, wait_for

ARTIFACTS = REPO / "test-artifacts" / "browser"
CHROMIUM = os.environ.get("KIOSK_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
STATION_ID = "browser-01"
PASSWORD = "browser-test-pass-1"


@dataclass
class Stack:
    platform: Platform
    kiosk: Kiosk

    def staff(self) -> httpx.Client:
        return self.platform.staff()


@pytest.fixture(scope="package")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """A platform and one enrolled station (simulators + station) that reports every second."""
    # The ID-card reader alerts after 3 s unavailable here (120 s by default); the printer keeps
    # its default, so a 4 s cover-open stays quiet.
    # Every test signs in afresh (its own browser context): more than one person's sign-ins a minute.
    env = {"KIOSK_PLATFORM_COMPONENT_ALERT_SECONDS": '{"idcard": 3}', "KIOSK_PLATFORM_LOGIN_RATE_PER_USER": "100",
           "KIOSK_PLATFORM_LOGIN_RATE_PER_IP": "300"}
    with running_platform(tmp_path_factory.mktemp("platform"), None, env=env) as platform, \
            enrolled_kiosk(platform, tmp_path_factory.mktemp("station"), STATION_ID, "S07") as kiosk:
        poll(lambda: platform.station(STATION_ID)["online"] and _printer_ready(platform),
             "the station's first heartbeat", timeout=60)
        yield Stack(platform, kiosk)


def _printer_ready(platform: Platform) -> bool:
    components = {c["id"]: c for c in platform.station(STATION_ID).get("components", [])}
    return components.get("printer", {}).get("code") == "OK"


@pytest.fixture(scope="package")
def chromium() -> Iterator[Any]:
    """Debian's Chromium, headless, in a fresh profile (Playwright makes one per launch). Package
    scope: Playwright's sync API runs an event loop on this thread, which must be gone before the
    tests that follow use asyncio themselves."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (scripts/setup --test)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def page(chromium: Any, stack: Stack) -> Iterator[Any]:
    """A new browser context (no cookies) at laptop size, Chinese first."""
    context = chromium.new_context(base_url=stack.platform.url, viewport={"width": 1366, "height": 900},
                                   locale="zh-CN")
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def sign_in(page: Any, username: str = "admin", password: str = "kiosk-demo-admin") -> None:
    """Sign in through the form and land on the fleet."""
    page.goto("/console/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/console/fleet")


def shot(page: Any, artifacts: Path, name: str, *, full_page: bool = True) -> Path:
    """Save a screenshot of the page as test-artifacts/browser/<name>.png."""
    path = artifacts / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def make_user(stack: Stack, username: str, role: str, org_code: str) -> None:
    """Create a staff account through the staff API (as the demo administrator)."""
    with stack.staff() as staff:
        created = staff.post("/api/staff/users", json={"username": username, "password": PASSWORD,
                                                       "role": role, "org_code": org_code,
                                                       "must_change_password": False})
        assert created.status_code in (201, 409), created.text


@contextmanager
def kiosk_ui(stack: Stack, data_dir: Path) -> Iterator[str]:
    """The kiosk UI (Kivy, offscreen: no display needed) on the stack's station; yields its hook."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"} | {
        "KIVY_NO_ARGS": "1", "KIVY_LOG_MODE": "MIXED", "SDL_AUDIODRIVER": "dummy", "KIVY_HOME": str(data_dir),
        "KIOSK_STATION_TOKEN_FILE": str(stack.kiosk.data_dir / "station-api.token")}
    log = data_dir / "kiosk-ui.test.log"
    with open(log, "ab") as out:
        popen = subprocess.Popen([sys.executable, "-m", "kiosk", "--station", stack.kiosk.url,
                                  "--data-dir", str(data_dir), "--automation-port", str(port)],
                                 stdout=out, stderr=subprocess.STDOUT, cwd=REPO, env=env)
    process = Process("kiosk-ui", popen, log)
    hook = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: _connected(hook), process, timeout=60)
        yield hook
    finally:
        process.stop()


def _connected(hook: str) -> bool:
    try:
        return bool(httpx.get(hook + "/state", timeout=2).json()["flow"]["connected"])
    except (httpx.HTTPError, ValueError, KeyError):
        return False
