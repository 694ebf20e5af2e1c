"""The kiosk screen on request: a technician asks from the console, the station asks the kiosk UI
(a real Kivy app, offscreen), and the picture comes back through the sync as the command's
result, shown on the station page. Never while a resident is using the kiosk."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import STATION_ID, Stack, kiosk_ui, shot, sign_in

pytestmark = pytest.mark.browser


def test_capture_the_kiosk_screen_but_not_a_residents(page: Any, stack: Stack, artifacts: Path,
                                                      tmp_path: Path) -> None:
    with kiosk_ui(stack, tmp_path):
        sign_in(page)
        page.goto(f"/console/stations/{STATION_ID}")
        page.get_by_role("button", name="截取屏幕").click()
        picture = page.locator("#live-screen img")
        expect(picture).to_be_visible(timeout=20_000)  # live: the command's result arrived
        page.wait_for_function("img => img.complete && img.naturalWidth === 640", arg=picture.element_handle())
        picture.scroll_into_view_if_needed()
        shot(page, artifacts, "station-screen", full_page=False)

        with stack.kiosk.client() as kiosk:
            session = kiosk.post("/api/sessions", json={"service": "verify"}).json()  # a resident walks up
            try:
                page.get_by_role("button", name="截取屏幕").click()
                expect(page.locator("#live-screen")).to_contain_text("有居民正在使用自助机", timeout=20_000)
            finally:
                kiosk.delete(f"/api/sessions/{session['id']}")
