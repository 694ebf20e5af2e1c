"""What staff expect of the console beyond the workflow, in Chromium at laptop (1366×768) and phone
(390×844) size: search and filters kept in the URL, downloads (CSV and XLSX) of what is shown,
figures over time for a date range, the map's schematic view (no tile server, no internet), bulk
actions that say what they will do first, and the pages for the audit log, Open311 keys, notices,
new stations with their enrolment code, ratings and a ticket's photo and links."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from .conftest import STATION_ID, Stack, shot, sign_in
from .test_tickets import file_request

pytestmark = pytest.mark.browser
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
FITS = "document.documentElement.scrollWidth <= window.innerWidth"


def fits_phone(page: Any, path: str) -> None:
    page.set_viewport_size(PHONE)
    page.goto(path)
    assert page.evaluate(FITS), f"{path} is wider than 390 px"
    page.set_viewport_size(LAPTOP)


def download(page: Any, link: Any) -> bytes:
    with page.expect_download() as info:
        link.click()
    return Path(info.value.path()).read_bytes()


def test_search_filters_in_the_url_and_export(page: Any, stack: Stack, artifacts: Path) -> None:
    first = file_request(stack, "features-search-0001")
    second = file_request(stack, "features-search-0002")
    page.set_viewport_size(LAPTOP)
    sign_in(page)
    page.goto("/console/tickets")
    page.get_by_label("工单号").fill(first)
    page.get_by_role("button", name="筛选").click()
    expect(page.locator(f"tr[data-ticket='{first}']")).to_have_count(1)
    expect(page.locator(f"tr[data-ticket='{second}']")).to_have_count(0)
    assert f"number={first}" in page.url
    shot(page, artifacts, "features-tickets-search", full_page=False)

    # the link alone reproduces the view (a new context: no state but the URL)
    link = page.url
    page.goto("/console/fleet")
    page.goto(link)
    expect(page.get_by_label("工单号")).to_have_value(first)
    expect(page.locator("tbody tr[data-ticket]")).to_have_count(1)
    page.goto("/console/tickets?text=%E4%B8%8D%E5%AD%98%E5%9C%A8%E7%9A%84%E8%AF%9D&state=received")
    expect(page.locator("tbody")).to_contain_text("没有符合条件的记录")
    expect(page.get_by_label("状态")).to_have_value("received")

    page.goto(f"/console/tickets?number={first}")
    body = download(page, page.get_by_role("link", name="CSV"))
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][0] == "工单号" and [r[0] for r in rows[1:]] == [first]
    xlsx = download(page, page.get_by_role("link", name="XLSX"))
    sheet = load_workbook(io.BytesIO(xlsx)).active
    assert sheet is not None and sheet.cell(2, 1).value == first
    fits_phone(page, f"/console/tickets?number={first}")


def test_bulk_classify_says_what_it_will_do(page: Any, stack: Stack, artifacts: Path) -> None:
    numbers = [file_request(stack, f"features-bulk-000{i}") for i in (1, 2)]
    sign_in(page)
    page.goto("/console/tickets?state=received")
    for number in numbers:
        page.locator(f"#pick-{number}").check()
    page.get_by_label("操作", exact=True).select_option("classify")
    page.locator("#bulk-category").select_option("environment_sanitation")
    page.locator("#bulk-grade").select_option("urgent")
    page.get_by_role("button", name="检查并确认").click()
    effect = page.locator(".bulk-effect")
    expect(effect).to_contain_text("将要执行")
    expect(effect).to_contain_text("分类分级")
    expect(effect).to_contain_text("2 张工单")
    for number in numbers:
        expect(page.locator(".bulk-items")).to_contain_text(number)
    shot(page, artifacts, "features-bulk-confirm", full_page=False)
    page.get_by_role("button", name="确认执行").click()
    for number in numbers:
        expect(page.locator(f".bulk-results li[data-item='{number}']")).to_contain_text("已完成")
    page.get_by_role("link", name="返回列表").click()
    for number in numbers:
        with stack.staff() as staff:
            ticket = staff.get(f"/api/staff/tickets/{number}").json()
        assert (ticket["state"], ticket["grade"]) == ("classified", "urgent")


def test_figures_over_time_with_a_date_range(page: Any, stack: Stack, artifacts: Path) -> None:
    file_request(stack, "features-figures-0001")
    sign_in(page)
    page.goto("/console/tickets/figures")
    trends = page.locator("[data-trend] svg.chart")
    expect(trends).to_have_count(5)
    for key in ("volume", "sla", "rating", "availability", "issued"):
        expect(page.locator(f"[data-trend={key}] svg")).to_be_visible()
    since = page.get_by_label("起始日期").input_value()
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", since)
    page.get_by_label("起始日期").fill("2026-01-01")
    page.get_by_role("button", name="筛选").click()
    assert "since=2026-01-01" in page.url
    expect(page.locator("#trends-title")).to_contain_text("2026-01-01")
    shot(page, artifacts, "features-figures")
    body = download(page, page.locator("a[href^='/console/export/figures-daily.csv']"))
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:2] == ["日期", "受理"] and sum(int(r[1]) for r in rows[1:]) >= 1
    fits_phone(page, "/console/tickets/figures")


def test_map_schematic_view_works_offline(page: Any, stack: Stack, artifacts: Path) -> None:
    number = file_request(stack, "features-map-0001")
    sign_in(page)
    page.get_by_role("link", name="地图").click()
    expect(page.get_by_role("link", name="区域示意图")).to_have_attribute("aria-current", "page")
    expect(page.locator(".map-box")).to_have_count(0)  # no tile server configured: no base layer
    station = page.locator(f"[data-station='{STATION_ID}']")
    expect(station).to_be_visible()
    expect(station).to_contain_text(re.compile("正常|需关注|离线|停止服务|新站点|.+"))
    expect(page.locator(f"a[href='/console/tickets/{number}']")).to_have_count(1)
    expect(page.locator("[data-count=ok]").first).to_be_visible()
    shot(page, artifacts, "features-map")
    fits_phone(page, "/console/map")


def test_alert_bulk_acknowledge(page: Any, stack: Stack, artifacts: Path) -> None:
    sign_in(page)
    stack.kiosk.sims.fault("printer", "paper_out")
    try:
        page.goto("/console/alerts?kind=printer_paper_out")
        row = page.locator(f"tr[data-kind=printer_paper_out]:has(a:text('{STATION_ID}'))")
        expect(row).to_have_count(1, timeout=20_000)
        expect(page.locator("tr[data-kind]:not([data-kind=printer_paper_out])")).to_have_count(0)
        row.locator("td.pick input").check()
        page.locator("#bulk-alert-action").select_option("acknowledge")
        page.get_by_role("button", name="检查并确认").click()
        expect(page.locator(".bulk-effect")).to_contain_text("确认告警")
        expect(page.locator(".bulk-effect")).to_contain_text("1 条告警")
        page.get_by_role("button", name="确认执行").click()
        expect(page.locator(".bulk-results")).to_contain_text("已完成")
        page.get_by_role("link", name="返回列表").click()
        expect(row).to_contain_text("admin")
        shot(page, artifacts, "features-alerts-filtered", full_page=False)
        fits_phone(page, "/console/alerts?kind=printer_paper_out")
    finally:
        stack.kiosk.sims.clear("printer")


def test_staff_api_pages(page: Any, stack: Stack, artifacts: Path) -> None:
    first = file_request(stack, "features-admin-0001")
    second = file_request(stack, "features-admin-0002")
    sign_in(page)
    # Open311 keys: issued once, revoked only with the box ticked
    page.goto("/console/open311")
    page.get_by_label("名称").fill("hotline 12345")
    page.get_by_role("button", name="签发").click()
    key = page.locator("[data-field=api_key]")
    expect(key).to_be_visible()
    assert len(key.inner_text()) > 20
    shot(page, artifacts, "features-open311", full_page=False)
    row = page.locator("tr[data-key]", has_text="hotline 12345").last
    row.get_by_role("checkbox").check()
    row.get_by_role("button", name="吊销").click()
    expect(page.locator(".flash.ok")).to_contain_text("已吊销密钥")
    expect(page.locator("tr[data-key]", has_text="hotline 12345").last).to_contain_text("已吊销")

    # notices to the kiosks
    page.goto("/console/notices")
    page.get_by_label("标题（中文）").fill("停水通知")
    page.get_by_label("内容（中文）").fill("明天 9:00–12:00 桂林社区停水。")
    page.get_by_role("button", name="发布").click()
    expect(page.locator(".flash.ok")).to_contain_text("已发布公告")
    expect(page.locator("article.notice").first).to_contain_text("停水通知")

    # a new station and its one-time enrolment code
    page.goto("/console/fleet")
    page.get_by_role("link", name="新增服务站").click()
    page.get_by_label("站点标识").fill("features-new-01")
    page.get_by_label("名称").fill("桂林社区二号站")
    page.get_by_label("站点编号").fill("S41")
    page.get_by_role("button", name="登记并生成注册码").click()
    expect(page.locator("[data-field=enrolment_code]")).to_be_visible()
    expect(page.locator("pre.command")).to_contain_text("kiosk enroll")
    shot(page, artifacts, "features-enrolment-code", full_page=False)
    page.goto("/console/stations/new")
    page.get_by_label("站点标识").fill("features-new-01")
    page.get_by_label("名称").fill("重复")
    page.get_by_label("站点编号").fill("S42")
    page.get_by_role("button", name="登记并生成注册码").click()
    expect(page.locator(".flash.bad")).to_be_visible()  # the same id twice is refused, in words

    # a ticket's photo and links
    page.goto(f"/console/tickets/{first}")
    expect(page.locator("#media")).to_contain_text("没有照片")
    page.get_by_label("关联另一工单号").fill(second)
    page.get_by_role("button", name="关联", exact=True).click()
    expect(page.locator(".flash.ok")).to_contain_text("已关联")
    expect(page.locator("ul.linked")).to_contain_text(second)

    # the audit log shows what was just done, and filters by action
    page.goto("/console/audit")
    expect(page.locator("table.audit")).to_contain_text("open311.key_issued")
    page.get_by_label("操作", exact=True).select_option("station.create")
    page.get_by_role("button", name="筛选").click()
    assert "action=station.create" in page.url
    expect(page.locator("tr[data-audit]").first).to_contain_text("features-new-01")
    shot(page, artifacts, "features-audit", full_page=False)

    page.goto("/console/ratings")
    expect(page.get_by_role("heading", name="服务评价")).to_be_visible()
    for path in ("/console/audit", "/console/open311", "/console/notices", "/console/ratings",
                 "/console/stations/new", f"/console/tickets/{first}", "/console/certificates?state=issued"):
        fits_phone(page, path)
    page.set_viewport_size(PHONE)
    page.goto("/console/audit")
    shot(page, artifacts, "features-audit-phone", full_page=False)
