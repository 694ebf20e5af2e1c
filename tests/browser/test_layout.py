"""Readable on a tablet and usable from the keyboard: at tablet width nothing but the tables'
own scrolling regions is wider than the screen; the first Tab reaches the skip link and it lands
on the main content; every form field has a label; the English pages say English."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import STATION_ID, Stack, shot, sign_in

pytestmark = pytest.mark.browser
PAGES = ("/console/fleet", f"/console/stations/{STATION_ID}", "/console/alerts", "/console/tickets",
         "/console/tickets/figures", "/console/applications", "/console/certificates", "/console/register",
         "/console/users", "/console/password")
UNLABELLED = """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
    .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')).map(el => el.name)"""


def test_tablet_width_keyboard_and_labels(page: Any, stack: Stack, artifacts: Path) -> None:
    page.set_viewport_size({"width": 820, "height": 1180})
    sign_in(page)
    for path in PAGES:
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
        assert page.evaluate(UNLABELLED) == [], path
    shot(page, artifacts, "tablet-register", full_page=False)
    page.goto(f"/console/stations/{STATION_ID}")
    shot(page, artifacts, "tablet-station")
    page.goto("/console/fleet")
    page.locator(".table-wrap").first.evaluate("el => el.scrollLeft = 400")  # the station stays in view
    expect(page.locator(f"#station-{STATION_ID} th.station")).to_be_in_viewport()
    shot(page, artifacts, "tablet-fleet", full_page=False)

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到主要内容")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_english(page: Any, stack: Stack, artifacts: Path) -> None:
    sign_in(page)
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(f"#station-{STATION_ID}")).to_contain_text("Online")
    page.goto(f"/console/stations/{STATION_ID}")
    expect(page.get_by_role("heading", name="Components")).to_be_visible()
    shot(page, artifacts, "station-en")
