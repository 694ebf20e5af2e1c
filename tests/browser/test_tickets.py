"""A request filed at the kiosk, handled in the console: classified, dispatched to a grid, signed
for, replied and closed — each step's form shown only when the workflow allows it — with the
deadline said in words beside its colour, and the figures drawn as charts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from support.stack import poll

from .conftest import Stack, shot, sign_in

pytestmark = pytest.mark.browser
GRID_1 = "460107002001-01"


def file_request(stack: Stack, key: str) -> str:
    """File an anonymous rubbish complaint at the kiosk; return its ticket number once synced."""
    with stack.kiosk.client() as kiosk:
        session = kiosk.post("/api/sessions", json={"service": "requests"}).json()
        filed = kiosk.post("/api/tickets", json={
            "session_id": session["id"], "idempotency_key": key, "category": "environment_sanitation",
            "anonymous": True, "place": {"kind": "building", "building": "3"},
            "phrases": ["rubbish_piled"], "text": "3号楼门口垃圾三天没清运"})
        assert filed.status_code == 201, filed.text
        kiosk.delete(f"/api/sessions/{session['id']}")
    number = str(filed.json()["ticket_no"])
    with stack.staff() as staff:
        poll(lambda: staff.get(f"/api/staff/tickets/{number}").status_code == 200, "the ticket to sync")
    return number


def test_dispatch_and_close_a_ticket(page: Any, stack: Stack, artifacts: Path) -> None:
    number = file_request(stack, "browser-ticket-0001")
    sign_in(page)
    page.get_by_role("link", name="工单", exact=True).click()
    row = page.locator(f"tr[data-ticket='{number}']")
    expect(row).to_contain_text("已受理")
    expect(row.locator(".deadline")).to_contain_text("正常")  # the colour is said in words too
    shot(page, artifacts, "tickets")
    row.get_by_role("link", name=number).click()

    step(page, "classify", "分类分级", "已分类分级")
    page.get_by_label("承办单位").select_option(GRID_1)
    page.get_by_label("处置人员").select_option("grid_worker")
    step(page, "dispatch", "派单", "已派单")
    expect(page.locator("[data-field=state]")).to_contain_text("已派单")
    step(page, "sign", "签收", "已签收")
    page.get_by_label("答复内容").fill("已联系物业，垃圾已清运。")
    step(page, "reply", "答复", "已答复")
    shot(page, artifacts, "ticket")
    page.get_by_label("办结结果").select_option("resolved")
    step(page, "close", "办结", "已办结")
    expect(page.locator("[data-field=state]")).to_contain_text("办结")
    page.get_by_label("评价").select_option("4")
    step(page, "rate", "回访评价", "已记录回访评价")
    history = page.locator("ol.history")
    for words in ("分类分级", "派单", "签收", "答复", "办结", "回访评价"):
        expect(history).to_contain_text(words)

    page.goto("/console/tickets/figures?by=unit")
    expect(page.locator(".charts:not(.trends) svg.chart")).to_have_count(4)
    expect(page.locator("#figures-caption")).to_be_visible()
    shot(page, artifacts, "ticket-figures")


def step(page: Any, action: str, button: str, done: str) -> None:
    page.locator(f"form[data-action={action}]").get_by_role("button", name=button).click()
    expect(page.locator(".flash.ok")).to_contain_text(done)
