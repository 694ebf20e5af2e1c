"""Who may see and do what, checked on the server: wrong passwords refused and limited, cookie
sessions that scripts cannot read, a form posted without its CSRF token refused, staff of another
community who cannot see the station, roles that cannot reach a page; and the English switch."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from backend.platform.db.area_models import OrgUnit
from backend.platform.db.session import make_engine, make_session_factory, write_transaction

from .conftest import PASSWORD, STATION_ID, Stack, make_user, shot, sign_in

pytestmark = pytest.mark.browser
COMMUNITY, OTHER = "460107002001", "460107002002"


def test_wrong_password_refused_then_limited(page: Any, stack: Stack, artifacts: Path) -> None:
    make_user(stack, "limited-1", "staff", COMMUNITY)
    page.goto("/console/fleet")
    page.wait_for_url("**/console/login?next=*")
    for _ in range(5):
        page.get_by_label("用户名").fill("limited-1")
        page.get_by_label("密码").fill("not-the-password")
        page.get_by_role("button", name="登录").click()
        expect(page.get_by_role("alert")).to_contain_text("用户名或密码不正确")
    shot(page, artifacts, "signin-refused")
    page.get_by_label("密码").fill(PASSWORD)  # right, but too late: locked for a while
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert")).to_contain_text("登录失败次数过多")
    assert not [c for c in page.context.cookies() if c["name"] == "kc_session"]


def test_session_cookie_csrf_language_and_sign_out(page: Any, stack: Stack) -> None:
    sign_in(page)
    (cookie,) = [c for c in page.context.cookies() if c["name"] == "kc_session"]
    assert (cookie["httpOnly"], cookie["sameSite"], cookie["path"]) == (True, "Strict", "/console")
    assert cookie["expires"] > 0  # expires with the token, not a forever cookie
    assert page.evaluate("document.cookie").find("kc_session") == -1

    forged = page.request.post(f"/console/stations/{STATION_ID}/commands",
                               form={"kind": "suspend", "reason": "no token"}, max_redirects=0)
    assert forged.status == 403 and "页面已过期" in forged.text()

    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fleet")
    page.get_by_role("link", name="中文").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("站点总览")

    page.get_by_role("button", name="退出登录").click()
    expect(page.get_by_role("status")).to_contain_text("您已退出登录")
    page.goto("/console/fleet")
    page.wait_for_url("**/console/login?next=*")


def test_other_community_and_roles_are_refused(page: Any, stack: Stack, artifacts: Path) -> None:
    add_community(stack, OTHER)
    make_user(stack, "other-staff", "staff", OTHER)
    make_user(stack, "tech-1", "technician", COMMUNITY)
    make_user(stack, "comm-staff", "staff", COMMUNITY)

    sign_in(page, "other-staff", PASSWORD)
    expect(page.locator("#fleet-rows")).to_contain_text("没有符合条件的站点")
    page.goto(f"/console/stations/{STATION_ID}")
    expect(page.get_by_role("alert")).to_contain_text("没有找到，或您无权查看")
    shot(page, artifacts, "refused-other-area")
    page.context.clear_cookies()

    sign_in(page, "tech-1", PASSWORD)
    expect(page.locator(f"#station-{STATION_ID}")).to_be_visible()
    expect(page.get_by_role("link", name="工单", exact=True)).to_have_count(0)
    assert page.goto("/console/tickets").status == 403
    assert page.goto("/console/register").status == 403
    page.context.clear_cookies()

    sign_in(page, "comm-staff", PASSWORD)
    assert page.goto("/console/register").status == 403  # administrators only
    page.goto(f"/console/stations/{STATION_ID}")
    expect(page.get_by_role("button", name="暂停服务")).to_be_visible()
    expect(page.get_by_role("button", name="重启设备层")).to_have_count(0)  # technicians and up


def add_community(stack: Stack, code: str) -> None:
    """Add a sibling community to the platform's organisation tree (the demo has one)."""
    engine = make_engine(f"sqlite:///{stack.platform.data_dir / 'platform.db'}")
    try:
        with write_transaction(make_session_factory(engine)) as session:
            if session.get(OrgUnit, code) is None:
                street = session.scalar(select(OrgUnit).where(OrgUnit.code == "460107002"))
                assert street is not None
                session.add(OrgUnit(code=code, level="community", parent_code=street.code, name_zh="安乐社区",
                                    name_en="Anle Community", path=f"{street.path}{code}/", details={}))
    finally:
        engine.dispose()


def test_an_ended_session_sends_a_live_page_to_sign_in(page: Any, stack: Stack) -> None:
    sign_in(page)
    page.goto("/console/alerts?show=resolved")
    expect(page.locator("#live-status")).to_contain_text("已连接")
    page.context.clear_cookies()  # as if the session had expired
    stack.kiosk.sims.fault("printer", "paper_out")  # any live change makes the page fetch again
    try:
        page.wait_for_url("**/console/login?expired=1&next=%2Fconsole%2Falerts%3Fshow%3Dresolved", timeout=15_000)
    finally:
        stack.kiosk.sims.clear("printer")
    expect(page.get_by_role("status")).to_contain_text("登录已过期")
    page.get_by_label("用户名").fill("admin")
    page.get_by_label("密码").fill("kiosk-demo-admin")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/console/alerts?show=resolved")
