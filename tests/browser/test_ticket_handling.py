"""Handling a ticket as staff live in it (issue 20, defects 3–6, 15, 16): the result of an action is
in view where the person is and the page keeps its scroll (no anchor jump) at 1366×768; a refused
form names the field; the list is live; only actions that can apply are offered; likely duplicates
show on the ticket with a link action; the resident's phone is revealed on request (audited)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from support.stack import poll

from .conftest import PASSWORD, Stack, make_user, shot, sign_in
from .test_tickets import GRID_1, file_request

pytestmark = pytest.mark.browser
LAPTOP = {"width": 1366, "height": 768}


def file_named(stack: Stack, key: str, text: str = "5号楼电梯坏了三天") -> str:
    """File a request as 张三 (identified by card, with a phone number); return its number."""
    with stack.kiosk.client() as kiosk:
        session = stack.kiosk.sims.identify(kiosk, service="requests", resident="1")
        try:
            filed = kiosk.post("/api/tickets", json={
                "session_id": session, "idempotency_key": key, "category": "environment_sanitation",
                "anonymous": False, "phone": "13800138000", "place": {"kind": "building", "building": "5"},
                "phrases": ["rubbish_piled"], "text": text})
            assert filed.status_code == 201, filed.text
        finally:
            kiosk.delete(f"/api/sessions/{session}")
            stack.kiosk.sims.remove_card()
    number = str(filed.json()["ticket_no"])
    with stack.staff() as staff:
        poll(lambda: staff.get(f"/api/staff/tickets/{number}").status_code == 200, "the ticket to sync")
    return number


def to_in_progress(stack: Stack, number: str) -> None:
    with stack.staff() as staff:
        for path, body in (("classify", {"category": "environment_sanitation", "grade": "normal", "note": ""}),
                           ("dispatch", {"unit": GRID_1, "role": "grid_worker", "note": ""}),
                           ("sign", {"note": ""})):
            done = staff.post(f"/api/staff/tickets/{number}/{path}", json=body)
            assert done.status_code == 200, done.text


def in_view(page: Any, selector: str) -> bool:
    box = page.locator(selector).first.bounding_box()
    size = page.viewport_size
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= size["height"]


@pytest.mark.parametrize("size", [LAPTOP, {"width": 390, "height": 844}], ids=["1366x768", "390x844"])
def test_result_in_view_and_scroll_kept(page: Any, stack: Stack, artifacts: Path, size: dict[str, int]) -> None:
    number = file_request(stack, f"defects-scroll-{size['width']}")
    page.set_viewport_size(size)
    sign_in(page)
    page.goto(f"/console/tickets/{number}")
    button = page.locator("form[data-action=classify]").get_by_role("button", name="分类分级")
    button.scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, 200)")
    before = page.evaluate("window.scrollY")
    button.click()
    toast = page.locator(".flash.ok")
    expect(toast).to_contain_text("已分类分级")
    assert "#" not in page.url  # no anchor jump
    assert in_view(page, ".flash.ok"), "the result must be where the person is looking"
    assert abs(page.evaluate("window.scrollY") - before) < 80, "the page keeps its scroll position"
    shot(page, artifacts, f"defect3-ticket-result-{size['width']}", full_page=False)


def test_errors_name_the_field(page: Any, stack: Stack, artifacts: Path) -> None:
    number = file_request(stack, "defects-field-0001")
    to_in_progress(stack, number)
    sign_in(page)
    page.goto(f"/console/tickets/{number}")
    page.get_by_label("答复内容").fill("   ")  # spaces only: the browser sends it, the API refuses
    page.locator("form[data-action=reply]").get_by_role("button", name="答复").click()
    error = page.locator(".flash.bad")
    expect(error).to_contain_text("答复内容")
    expect(error).to_contain_text("不能为空")
    expect(error).not_to_contain_text("提交的信息有误")
    expect(page.get_by_label("答复内容")).to_have_attribute("aria-invalid", "true")
    shot(page, artifacts, "defect4-field-error", full_page=False)


def test_tickets_list_is_live(page: Any, stack: Stack) -> None:
    sign_in(page)
    page.goto("/console/tickets")
    expect(page.locator("#live-status")).to_contain_text("已连接")
    number = file_request(stack, "defects-live-0001")
    expect(page.locator(f"tr[data-ticket='{number}']")).to_have_count(1, timeout=15_000)  # no reload


def test_extension_decisions_only_when_pending(page: Any, stack: Stack, artifacts: Path) -> None:
    number = file_request(stack, "defects-ext-0001")
    to_in_progress(stack, number)
    sign_in(page)
    page.goto(f"/console/tickets/{number}")
    expect(page.locator("form[data-action=request_extension]")).to_have_count(1)
    expect(page.locator("form[data-action=approve_extension]")).to_have_count(0)
    expect(page.locator("form[data-action=reject_extension]")).to_have_count(0)
    page.get_by_label("延期工作日").fill("2")
    page.locator("#ext-reason").fill("需协调物业 / the building manager must be involved")
    page.locator("form[data-action=request_extension]").get_by_role("button").click()
    expect(page.locator(".flash.ok")).to_contain_text("已申请延期")
    expect(page.locator("form[data-action=request_extension]")).to_have_count(0)
    expect(page.locator("form[data-action=approve_extension]")).to_have_count(1)
    shot(page, artifacts, "defect6-extension-pending")


def test_duplicates_shown_and_linked(page: Any, stack: Stack, artifacts: Path) -> None:
    first = file_named(stack, "defects-dup-0001", "8号楼垃圾堆积没人清理")
    second = file_named(stack, "defects-dup-0002", "8号楼垃圾堆积没人清理")
    sign_in(page)
    page.goto(f"/console/tickets/{second}")
    candidate = page.locator(f"[data-duplicate='{first}']")
    expect(candidate).to_have_count(1)
    expect(page.locator("#duplicates")).to_contain_text("可能重复")
    shot(page, artifacts, "defect15-duplicates")
    candidate.get_by_role("button", name="关联为重复件").click()
    expect(page.locator(".flash.ok")).to_contain_text("已关联")
    expect(page.locator(f"a[data-linked='{first}']")).to_have_count(1)


def test_reveal_phone_audited(page: Any, stack: Stack, artifacts: Path) -> None:
    number = file_named(stack, "defects-phone-0001")
    sign_in(page)
    page.goto(f"/console/tickets/{number}")
    phone = page.locator("[data-field=phone]")
    expect(phone).not_to_contain_text("13800138000")
    page.get_by_role("button", name="显示完整电话（记入审计）").click()
    expect(phone).to_contain_text("13800138000")
    expect(page.locator("[data-field=resident]")).to_contain_text("审计")
    shot(page, artifacts, "defect16-phone")
    with stack.staff() as staff:
        rows = staff.get("/api/staff/audit", params={"target": f"ticket:{number}"}).json()
    assert any(r["action"] == "ticket.contact_revealed" for r in rows), rows


def test_no_reveal_for_a_unit_that_does_not_coordinate(page: Any, stack: Stack) -> None:
    number = file_named(stack, "defects-phone-0002", "6号楼路灯不亮")
    to_in_progress(stack, number)  # dispatched to the first grid, which handles but does not coordinate
    make_user(stack, "grid-one", "staff", GRID_1)
    sign_in(page, "grid-one", PASSWORD)
    page.goto(f"/console/tickets/{number}")
    expect(page.locator("[data-field=state]")).to_be_visible()
    expect(page.get_by_role("button", name="显示完整电话（记入审计）")).to_have_count(0)
