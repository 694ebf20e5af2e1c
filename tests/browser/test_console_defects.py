"""Issue 20, defects 7–14 in Chromium: alerts go only to real staff of the area; a device fault
alerts after its component's duration (a short cover-open stays quiet); revocation asks first and
the row says why, who and when; the reprint list leaves revoked certificates out and never shows a
raw code; the Chinese pages show no machine text; the 诉求 counter counts requests; unknown pages
and errors keep the navigation; nothing overflows at phone width and the fleet becomes cards."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from support.stack import poll

from .conftest import STATION_ID, Stack, make_user, shot, sign_in
from .test_tickets import file_request

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
RAW = ("MEDIA_EMPTY", "no card", "out of paper", "component.status", "unassigned", "certificate.not_printable",
       "printer reports", "station.not_found", "clock", "storage")


def test_alert_assignment_only_to_real_staff(page: Any, stack: Stack, artifacts: Path) -> None:
    make_user(stack, "guilin-worker", "staff", "460107002001")
    make_user(stack, "other-community", "staff", "460107002002")
    sign_in(page)
    stack.kiosk.sims.fault("printer", "paper_out")
    try:
        page.goto(f"/console/alerts?station={STATION_ID}")
        row = page.locator("tr[data-kind=printer_paper_out]")
        expect(row).to_have_count(1, timeout=15_000)
        choice = row.get_by_label("指派给")
        assert choice.evaluate("e => e.tagName") == "SELECT"
        page.reload()  # the two accounts below exist now
        row = page.locator("tr[data-kind=printer_paper_out]")
        choice = row.get_by_label("指派给")
        offered = [o.get_attribute("value") for o in choice.locator("option").all()]
        assert "admin" in offered and "guilin-worker" in offered
        assert "other-community" not in offered  # staff of another community: not this station's
        alert_id = row.get_attribute("data-alert")
        with stack.staff() as staff:
            refused = staff.post(f"/api/staff/alerts/{alert_id}/assign", json={"to": "不存在的人zzz"})
        assert refused.status_code == 422 and refused.json()["code"] == "alert.assignee_unknown", refused.text
        choice.select_option("admin")
        row.get_by_role("button", name="指派").click()
        expect(page.locator(".flash.ok")).to_contain_text("已指派")
        shot(page, artifacts, "defect7-assign")
    finally:
        stack.kiosk.sims.clear("printer")


def _open_kinds(stack: Stack) -> set[str]:
    with stack.staff() as staff:
        return {a["kind"] for a in staff.get("/api/staff/alerts").json() if a["station_id"] == STATION_ID}


def test_fault_alerts_after_their_duration(page: Any, stack: Stack, artifacts: Path) -> None:
    stack.kiosk.sims.fault("printer", "cover_open")
    time.sleep(4)  # a cover opened to change the paper, closed again after 4 s
    stack.kiosk.sims.clear("printer")
    assert "printer_fault" not in _open_kinds(stack)
    stack.kiosk.sims.fault("idcard", "silence")
    try:
        poll(lambda: "idcard_fault" in _open_kinds(stack), "the reader's fault to alert", timeout=40)
        sign_in(page)
        page.goto(f"/console/alerts?station={STATION_ID}")
        row = page.locator("tr[data-kind=idcard_fault]")
        expect(row).to_contain_text("身份证读卡器不可用")
        expect(row).to_contain_text("已持续")
        shot(page, artifacts, "defect8-reader-fault")
    finally:
        stack.kiosk.sims.clear("idcard")
    poll(lambda: "idcard_fault" not in _open_kinds(stack), "the reader's alert to resolve", timeout=40)
    assert "printer_fault" not in _open_kinds(stack)


def test_revocation_confirms_and_says_why_who_when(page: Any, stack: Stack, artifacts: Path) -> None:
    certificate = stack.kiosk.issue(1, "defects-revoke")[0]
    poll(lambda: stack.kiosk.outbox_depth() == 0, "the certificate to reach the platform")
    sign_in(page)
    page.goto(f"/console/certificates?q={certificate['serial']}")
    row = page.locator(f"tr[data-serial='{certificate['serial']}']")
    row.get_by_label("撤销理由").fill("开具有误 / issued in error")
    asked: list[str] = []
    page.once("dialog", lambda d: (asked.append(d.message), d.dismiss()))
    row.get_by_role("button", name="撤销").click()
    assert asked and "确定撤销" in asked[0]
    expect(row).not_to_contain_text("已撤销")  # said no: nothing happened
    page.once("dialog", lambda d: d.accept())
    row.get_by_role("button", name="撤销").click()
    expect(page.locator(".flash.ok")).to_contain_text("已撤销")
    said = row.locator("[data-field=revocation]")
    expect(said).to_contain_text("开具有误")
    expect(said).to_contain_text("admin")
    expect(said).to_contain_text(time.strftime("%Y-"))
    shot(page, artifacts, "defect9-revoked")

    # defect 10: the reprint list leaves it out; a refused reprint is said in words
    page.goto(f"/console/stations/{STATION_ID}")
    options = page.locator("#reprint-certificate option")
    assert certificate["id"] not in [o.get_attribute("value") for o in options.all()]
    expect(page.locator("#commands")).not_to_contain_text("certificate.not_printable")


def test_no_machine_text_in_chinese(page: Any, stack: Stack, artifacts: Path) -> None:
    number = file_request(stack, "defects-words-0001")
    stack.kiosk.sims.fault("printer", "paper_out")
    try:
        poll(lambda: "printer_paper_out" in _open_kinds(stack), "the paper alert")
        sign_in(page)
        for path in (f"/console/stations/{STATION_ID}", "/console/alerts", "/console/fleet",
                     f"/console/tickets/{number}", "/console/tickets/figures?by=unit"):
            page.goto(path)
            text = page.locator("main").inner_text()
            for raw in (*RAW, "applied", "resident"):
                assert raw not in text, f"{raw!r} on {path}"
        shot(page, artifacts, "defect11-station-words")
    finally:
        stack.kiosk.sims.clear("printer")


def test_requests_counter_counts_requests_not_visits(stack: Stack, page: Any) -> None:
    def counted() -> int:
        with stack.staff() as staff:
            beats = staff.get(f"/api/staff/stations/{STATION_ID}/heartbeats", params={"limit": 1}).json()
        return int(beats[0]["counters"]["requests"])

    with stack.kiosk.client() as kiosk:  # two visits that file nothing
        for _ in range(2):
            session = kiosk.post("/api/sessions", json={"service": "requests"}).json()
            kiosk.delete(f"/api/sessions/{session['id']}")
    time.sleep(2.5)
    before = counted()
    file_request(stack, "defects-count-0001")
    poll(lambda: counted() == before + 1, "the counter to count the request")
    time.sleep(2.5)
    assert counted() == before + 1
    sign_in(page)
    page.goto(f"/console/stations/{STATION_ID}")
    expect(page.locator("details table tbody tr").first).to_be_attached()


def test_unknown_pages_and_errors_keep_the_frame(page: Any, stack: Stack, artifacts: Path) -> None:
    sign_in(page)
    for path in ("/console/no-such-page", "/console/nothing/here", "/console/stations/nope"):
        answer = page.goto(path)
        assert answer is not None and answer.status == 404
        assert "text/html" in answer.headers["content-type"]
        expect(page.get_by_role("navigation", name="主导航")).to_be_visible()
        expect(page.locator(".flash.bad")).to_contain_text("没有找到")
        assert "not_found" not in page.locator("main").inner_text()
    shot(page, artifacts, "defect13-unknown-page")


@pytest.mark.parametrize("path", ["/console/fleet", f"/console/stations/{STATION_ID}",
                                  "/console/tickets/figures?by=unit"])
def test_phone_width_does_not_overflow(page: Any, stack: Stack, artifacts: Path, path: str) -> None:
    file_request(stack, "defects-phone-width-0001")
    sign_in(page)
    page.set_viewport_size(PHONE)
    page.goto(path)
    page.wait_for_load_state("networkidle")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{path} is {width} px wide"
    if path == "/console/fleet":
        card = page.locator(f"tr[data-station='{STATION_ID}']")
        expect(card.locator("td.printer")).to_be_visible()
        expect(card.locator("td.alerts")).to_be_visible()
        assert card.evaluate("e => getComputedStyle(e).display") == "block"
    shot(page, artifacts, "defect14-" + path.strip("/").split("?")[0].replace("/", "-") + "-390")


def test_application_shows_likely_duplicates(page: Any, stack: Stack, artifacts: Path) -> None:
    from .test_applications import apply_at_kiosk

    first = apply_at_kiosk(stack, "defects-app-dup-0001")
    second = apply_at_kiosk(stack, "defects-app-dup-0002")
    sign_in(page)
    page.goto(f"/console/applications/{first}")
    page.get_by_role("button", name="批准").click()
    expect(page.locator(".flash.ok")).to_contain_text("已批准")
    page.goto(f"/console/applications/{second}")
    same = page.locator(f"[data-duplicate='{first}']")
    expect(same).to_contain_text("已批准")
    expect(page.locator("#duplicates")).to_contain_text("再次批准将开具第二份")
    shot(page, artifacts, "defect15-application-duplicates")
    same.get_by_role("button", name="按重复申请处理").click()
    expect(page.locator(".flash.ok")).to_contain_text("已驳回")


def test_station_command_result_in_view_and_field_named(page: Any, stack: Stack, artifacts: Path) -> None:
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(page)
    page.goto(f"/console/stations/{STATION_ID}")
    button = page.get_by_role("button", name="测试打印")
    button.scroll_into_view_if_needed()
    before = page.evaluate("window.scrollY")
    assert before > 300  # the commands are below the fold at 768 px
    button.click()
    toast = page.locator(".flash.ok")
    expect(toast).to_contain_text("指令已发送")
    assert "#" not in page.url
    box, height = toast.bounding_box(), 768
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height
    assert abs(page.evaluate("window.scrollY") - before) < 80
    shot(page, artifacts, "defect3-station-command-768", full_page=False)

    page.get_by_label("暂停原因（显示给居民）").fill("   ")
    page.get_by_role("button", name="暂停服务").click()
    error = page.locator(".flash.bad")
    expect(error).to_contain_text("暂停原因")
    expect(error).to_contain_text("不能为空")
    expect(error).not_to_contain_text("指令或参数无效")
    expect(page.get_by_label("暂停原因（显示给居民）")).to_have_attribute("aria-invalid", "true")


def test_machine_text_in_english_too(page: Any, stack: Stack) -> None:
    stack.kiosk.sims.fault("printer", "paper_out")
    try:
        poll(lambda: "printer_paper_out" in _open_kinds(stack), "the paper alert")
        sign_in(page)
        page.get_by_role("link", name="English").click()
        for path in (f"/console/stations/{STATION_ID}", "/console/alerts", "/console/fleet"):
            page.goto(path)
            text = page.locator("main").inner_text()
            for raw in ("MEDIA_EMPTY", "component.status", "consumables printer", "缺纸", "打印机"):
                assert raw not in text, f"{raw!r} on {path} (en)"
    finally:
        stack.kiosk.sims.clear("printer")
