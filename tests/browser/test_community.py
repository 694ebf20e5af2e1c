"""Community life in the console, in Chromium: publish an activity with the form, see a kiosk
sign-up on its list, check the ticket in on the staff phone page once (the second scan is refused
in words), import a ledger (a bad file shows its rows, a good one its month), decide an
organisation's filing from the demo data, and see the photo a proposal was raised with at the kiosk."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from backend.shared.localtime import DEFAULT_TIMEZONE
from support.stack import poll

from .conftest import Stack, shot, sign_in

pytestmark = pytest.mark.browser
LOCAL = ZoneInfo(DEFAULT_TIMEZONE)


def _at(delta: timedelta) -> str:
    return (datetime.now(LOCAL) + delta).strftime("%Y-%m-%dT%H:%M")


def _sign_up_at_kiosk(stack: Stack, activity_id: str) -> str:
    with stack.kiosk.client() as kiosk:
        poll(lambda: any(a["id"] == activity_id for a in kiosk.get("/api/activities").json()), "the activity")
        session = stack.kiosk.sims.identify(kiosk, "community", resident="张三")
        try:
            made = kiosk.post(f"/api/activities/{activity_id}/signups",
                              json={"session_id": session, "idempotency_key": "browser-signup-01"})
            assert made.status_code == 201, made.text
        finally:
            kiosk.delete(f"/api/sessions/{session}")
            stack.kiosk.sims.remove_card()
    return str(made.json()["ticket_token"])


def test_activity_published_signed_up_and_checked_in_once(page: Any, stack: Stack, artifacts: Path) -> None:
    sign_in(page)
    page.get_by_role("link", name="社区生活").click()
    page.get_by_label("标题").fill("社区象棋赛")
    page.get_by_label("地点").fill("桂林社区活动室")
    page.get_by_label("开始", exact=True).fill(_at(timedelta(hours=1)))
    page.get_by_label("结束", exact=True).fill(_at(timedelta(hours=3)))
    page.get_by_label("名额").fill("8")
    page.get_by_label("报名开始").fill(_at(timedelta(hours=-1)))
    page.get_by_label("报名截止").fill(_at(timedelta(minutes=50)))
    page.get_by_role("button", name="发布").click()
    page.wait_for_url("**/console/community/activities/*")
    activity_id = page.url.split("/activities/")[1].split("?")[0]
    token = _sign_up_at_kiosk(stack, activity_id)
    assert _reload_until(page, "张*"), "the kiosk's sign-up on the activity's list"
    expect(page.locator("[data-tally]")).to_contain_text("已报名 1")
    shot(page, artifacts, "community-activity")
    with page.expect_download() as download:
        page.get_by_role("link", name="导出名单（CSV）").click()
    assert "张*" in Path(download.value.path()).read_text(encoding="utf-8-sig")

    page.get_by_role("link", name="扫码签到").click()
    page.get_by_label("用手机扫码枪扫描活动票二维码（或粘贴）").fill(token)
    page.get_by_role("button", name="签到").click()
    expect(page.locator("[data-checked-in]")).to_contain_text("张*")
    page.get_by_label("用手机扫码枪扫描活动票二维码（或粘贴）").fill(token)
    page.get_by_role("button", name="签到").click()
    expect(page.locator("[data-refusal]")).to_contain_text("已经签到过了")
    shot(page, artifacts, "community-checkin")


def _reload_until(page: Any, text: str) -> bool:
    for _ in range(40):
        if text in page.locator("table.signups").inner_text():
            return True
        page.wait_for_timeout(500)
        page.reload()
    return False


def test_ledger_import_report_and_an_organisation_approved(page: Any, stack: Stack, artifacts: Path,
                                                           tmp_path: Path) -> None:
    sign_in(page)
    page.goto("/console/community/accounts")
    bad, good = tmp_path / "bad.csv", tmp_path / "good.csv"
    bad.write_text("日期,类别,收支,金额,对方,凭证号\n2018-03-02,保洁,支出,-5,保洁公司,B1\n", encoding="utf-8")
    good.write_text("日期,类别,收支,金额,对方,凭证号\n2018-03-02,物业服务费,收入,100.50,业主,B1\n"
                    "2018-03-09,保洁,支出,40.25,保洁公司,B2\n", encoding="utf-8")
    page.get_by_label("月份", exact=True).fill("2018-03")
    page.get_by_label("文件", exact=True).set_input_files(str(bad))
    page.get_by_role("button", name="导入并公开").click()
    expect(page.locator("table.rejected")).to_contain_text("金额应为正数")
    page.get_by_label("月份", exact=True).fill("2018-03")
    page.get_by_label("文件", exact=True).set_input_files(str(good))
    page.get_by_role("button", name="导入并公开").click()
    expect(page.locator("[data-month='2018-03']")).to_contain_text("60.25")
    shot(page, artifacts, "community-accounts")

    page.get_by_role("link", name="议事堂与社会组织").click()
    expect(page.locator(".proposal").first).to_contain_text("2/3")  # the demo's proposal, near its threshold
    waiting = page.locator(".organisation[data-state='applied']").first
    waiting.get_by_role("button", name="不予通过").click()
    expect(page.get_by_role("alert").or_(page.locator(".error, .toast"))).to_be_visible()
    waiting = page.locator(".organisation[data-state='applied']").first
    waiting.get_by_label("如何加入（通过时显示在服务站）").fill("周六上午到社区服务站报名")
    waiting.get_by_role("button", name="通过备案").click()
    expect(page.locator(".organisation[data-state='applied']")).to_have_count(0)
    shot(page, artifacts, "community-council")


def _raise_with_a_photo(stack: Stack, title: str) -> str:
    """Raise a proposal at the station as the kiosk does: the kiosk camera's picture, then the
    proposal with it (张三 lives in 桂林花园, GL-01)."""
    with stack.kiosk.client() as kiosk:
        stack.kiosk.sims.call("POST", "/devices/camera/show", {"text": "车棚 没有充电桩"})
        taken = poll(lambda: (r := kiosk.post("/api/camera/photo")).status_code == 200 and r,
                     "the camera's first picture", every=0.5)
        session = stack.kiosk.sims.identify(kiosk, "community", resident="张三")
        try:
            raised = kiosk.post("/api/council/proposals", json={
                "session_id": session, "compound": "GL-01", "category": "public_facilities", "title": title,
                "text": "电动车没处充电，有人从楼上拉线", "idempotency_key": "browser-proposal-photo-01",
                "photo_jpeg_base64": taken.json()["jpeg_base64"]})
            assert raised.status_code == 201, raised.text
        finally:
            kiosk.delete(f"/api/sessions/{session}")
            stack.kiosk.sims.remove_card()
    return str(raised.json()["id"])


def test_a_proposal_raised_with_a_photo_shows_it_to_staff(page: Any, stack: Stack, artifacts: Path) -> None:
    proposal_id = _raise_with_a_photo(stack, "车棚加装充电桩")
    with stack.staff() as staff:
        poll(lambda: [p for p in staff.get("/api/staff/proposals").json()
                      if p["id"] == proposal_id and p["has_photo"]], "the proposal and its photo on the platform")
    sign_in(page)
    page.goto("/console/community/council")
    shown = page.locator(f".proposal[data-proposal='{proposal_id}']")
    expect(shown).to_contain_text("车棚加装充电桩")
    photo = shown.locator("figure img")
    expect(photo).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=photo.element_handle())
    expect(page.locator(".proposal figure")).to_have_count(1)  # the demo's proposals have none
    shot(page, artifacts, "community-council-photo")
    served = page.request.get(f"/console/community/council/proposals/{proposal_id}/photo")
    assert served.ok and served.headers["content-type"] == "image/jpeg" and served.body()[:3] == b"\xff\xd8\xff"
    assert served.headers["cache-control"] == "private, no-store"
    signed_out = page.context.browser.new_context(base_url=page.url.split("/console")[0])
    try:  # staff only: without signing in, no photo
        refused = signed_out.request.get(f"/console/community/council/proposals/{proposal_id}/photo",
                                         max_redirects=0)
        assert refused.status in (302, 303, 401, 403)
    finally:
        signed_out.close()
