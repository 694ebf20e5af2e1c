"""Alerts in the console: the printer's paper runs out, the alert opens (live), staff acknowledge
and assign it; refilled, it resolves itself and moves to the resolved list."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import STATION_ID, Stack, shot, sign_in

pytestmark = pytest.mark.browser


def test_acknowledge_assign_and_resolve_itself(page: Any, stack: Stack, artifacts: Path) -> None:
    sign_in(page)
    page.get_by_role("link", name="告警", exact=True).click()
    stack.kiosk.sims.fault("printer", "paper_out")
    row = page.locator(f"tr[data-kind=printer_paper_out]:has(a:text('{STATION_ID}'))")
    try:
        expect(row).to_have_count(1, timeout=15_000)  # live, without reloading
        row.get_by_role("button", name="确认").click()
        expect(page.locator(".flash.ok")).to_contain_text("已确认告警")
        expect(row).to_contain_text("admin")
        choice = row.get_by_label("指派给")
        choice.focus()  # as a person's click does: a live refresh never replaces a form in use
        choice.select_option("admin")  # real staff of the area, from a list
        row.get_by_role("button", name="指派").click()
        expect(page.locator(".flash.ok")).to_contain_text("已指派")
        expect(row.locator("td").nth(6)).to_contain_text("admin")  # the assignee column (after the pick box)
        shot(page, artifacts, "alerts")
    finally:
        stack.kiosk.sims.clear("printer")
    expect(row).to_have_count(0, timeout=30_000)  # station → platform → stream, on a loaded machine
    page.get_by_role("link", name="已恢复").click()
    resolved = page.locator("tr[data-kind=printer_paper_out]").first
    expect(resolved).to_contain_text("已恢复")
    expect(resolved).to_contain_text("admin")
