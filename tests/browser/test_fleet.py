"""The fleet page lives: a station's printer runs out of paper at the simulator and the row says
so without a reload, then comes back when the paper is refilled. The worst station comes first (a
silent one is offline), and the state filter keeps only what it names."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from backend.station.sync.enrolment import enroll
from support.stack import poll

from .conftest import STATION_ID, Stack, shot, sign_in

pytestmark = pytest.mark.browser
SILENT, NEW = "browser-02", "browser-03"


def test_paper_out_and_back_live_worst_first(page: Any, stack: Stack, artifacts: Path,
                                             tmp_path: Path) -> None:
    enroll(data_dir=tmp_path, url=stack.platform.url, code=stack.platform.create_station(SILENT, "S08"))
    with stack.staff() as staff:
        created = staff.post("/api/staff/stations", json={"station_id": NEW, "name": f"test {NEW}",
                                                          "community_code": "460107002001",
                                                          "station_code": "S09"})
        assert created.status_code == 201, created.text
    sign_in(page)
    row = page.locator(f"#station-{STATION_ID}")
    expect_paper(row, "纸张充足")
    page.evaluate("window.__same_page = true")

    stack.kiosk.sims.fault("printer", "paper_out")
    try:
        expect_paper(row, "缺纸")
        expect(row).to_have_attribute("data-health", "attention")
        assert page.evaluate("window.__same_page") is True  # updated in place, not reloaded
        shot(page, artifacts, "fleet-paper-out")
    finally:
        stack.kiosk.sims.clear("printer")
    expect_paper(row, "纸张充足")
    assert page.evaluate("window.__same_page") is True

    poll(lambda: not stack.platform.station(SILENT)["online"] and stack.platform.station(SILENT)["open_alerts"],
         "the silent station to be marked offline")
    rows = page.locator("#fleet-rows tr")
    expect(rows.first).to_have_attribute("data-station", SILENT, timeout=15_000)  # live, worst first
    expect(rows.first).to_contain_text("从未连接")
    new_row = page.locator(f"#station-{NEW}")
    expect(new_row).to_contain_text("未接入")
    # Never enrolled comes last: after every station that is not new (other tests add new ones too).
    order = page.evaluate("[...document.querySelectorAll('#fleet-rows tr')].map(r => r.dataset.health)")
    assert "new" not in order[:order.index("new")] and all(h == "new" for h in order[order.index("new"):]), order
    shot(page, artifacts, "fleet")

    page.get_by_label("状态").select_option("offline")
    page.get_by_role("button", name="筛选").click()
    expect(page.locator("#fleet-rows tr")).to_have_count(1)
    expect(page.locator("#fleet-rows tr").first).to_have_attribute("data-station", SILENT)


def expect_paper(row: Any, words: str) -> None:
    expect(row.locator("td.printer")).to_contain_text(words, timeout=15_000)
