"""Accounts in a real browser: an administrator adds a user on /console/users; the user signs in
with the temporary password, lands on the password page and cannot leave it until they choose
their own; deactivating asks to confirm first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import Stack, shot, sign_in

pytestmark = pytest.mark.browser
TEMPORARY, OWN = "browser-temp-pass-1", "browser-own-pass-22"


def test_a_new_user_changes_the_temporary_password_first(page: Any, stack: Stack, artifacts: Path) -> None:
    sign_in(page)
    page.get_by_role("link", name="账户管理").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("账户管理")
    page.get_by_label("用户名").fill("browser-new-1")
    page.get_by_label("姓名").fill("新同事")
    page.get_by_label("角色").select_option("staff")
    page.get_by_label("所属单位").select_option("460107002001")
    page.get_by_label("临时密码").fill(TEMPORARY)
    page.get_by_role("button", name="新建").click()
    expect(page.get_by_role("status")).to_contain_text("账户已创建")
    expect(page.get_by_role("row", name="browser-new-1")).to_contain_text("待修改密码")
    shot(page, artifacts, "users")

    page.get_by_role("row", name="browser-new-1").get_by_role("button", name="停用 browser-new-1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("确认停用账户")
    page.get_by_role("link", name="取消，返回账户列表").click()
    expect(page.get_by_role("row", name="browser-new-1")).to_contain_text("启用")
    page.get_by_role("button", name="退出登录").click()

    page.goto("/console/login")
    page.get_by_label("用户名").fill("browser-new-1")
    page.get_by_label("密码").fill(TEMPORARY)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/console/password")
    expect(page.get_by_role("navigation", name="主导航")).to_have_count(0)
    page.goto("/console/fleet")
    page.wait_for_url("**/console/password")
    shot(page, artifacts, "password-forced")
    page.get_by_label("当前密码").fill(TEMPORARY)
    page.get_by_label("新密码", exact=True).fill(OWN)
    page.get_by_label("再次输入新密码").fill(OWN)
    page.get_by_role("button", name="保存新密码").click()
    page.wait_for_url("**/console/fleet?done=*")
    expect(page.get_by_role("status").first).to_contain_text("密码已修改")
