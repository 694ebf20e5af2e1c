"""Volunteers and emergency mode in the console, in Chromium: a volunteer file with a bad row is
refused whole with the row and why; an administrator switches a compound into emergency mode,
the command structure shows who leads which building and unit, the station gets the mode by the
down-sync, and after switching back the printable after-action report opens."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from support.notice_picture import map_png
from support.stack import poll

from .conftest import Stack, shot, sign_in

pytestmark = pytest.mark.browser


def test_register_command_structure_and_report(page: Any, stack: Stack, artifacts: Path) -> None:
    sign_in(page)
    page.get_by_role("link", name="志愿者", exact=True).click()
    expect(page.locator("table.volunteers")).to_contain_text("郑十一")
    bad = "id_number,name,employer,compound,roles,leads\n460107194512309516,周九,琼山区司法局,GL-01,单元长,7-1\n"
    page.get_by_label("志愿者名册文件").set_input_files(
        files=[{"name": "v.csv", "mimeType": "text/csv", "buffer": bad.encode()}])
    page.get_by_role("button", name="检查并导入").click()
    expect(page.locator("table.rejected")).to_contain_text("负责的楼栋/单元不在该小区")
    expect(page.locator("table.volunteers")).not_to_contain_text("周九")
    shot(page, artifacts, "volunteers-rejected")

    page.get_by_role("link", name="应急指挥").click()
    page.get_by_label("小区").select_option("GL-02")
    page.get_by_label("原因", exact=True).fill("台风过境")
    page.get_by_label("滚动提示（中文）").fill("椰林苑临时管控，请留在家中")
    page.get_by_label("通知标题（中文）").fill("物资发放点")
    page.get_by_label("通知图片", exact=False).set_input_files(
        files=[{"name": "map.png", "mimeType": "image/png", "buffer": map_png()}])
    page.get_by_role("button", name="切换为战时状态").click()
    page.wait_for_url("**/console/emergency/*")
    row = page.locator("table.command tr[data-building='9']")
    expect(row).to_contain_text("郑十一")
    expect(row).to_contain_text("2单元 冯十二")
    expect(page.locator("main")).to_contain_text("指挥部: 冯十二")
    picture = page.locator("ul.notices img.notice-image")
    expect(picture).to_be_visible()
    assert picture.evaluate("img => img.naturalWidth") == 1024  # re-encoded, served to the console
    shot(page, artifacts, "emergency-command")
    with stack.kiosk.client() as kiosk:
        status = poll(lambda: (s := kiosk.get("/api/emergency").json())["active"] and s, "the mode at the station")
        assert status["areas"][0]["area_name"]["zh"] == "椰林苑"
        notice = status["areas"][0]["notices"][0]
        assert notice["has_image"] and kiosk.get(notice["image"]).content.startswith(b"\xff\xd8\xff")

        page.get_by_label("原因").fill("台风已过")
        page.get_by_role("button", name="恢复平时状态").click()
        expect(page.locator("h1")).to_contain_text("已结束")
        poll(lambda: not kiosk.get("/api/emergency").json()["active"], "normal times at the station")
    page.get_by_role("link", name="总结报告").click()
    expect(page.locator("article.report")).to_contain_text("老人照护")
    shot(page, artifacts, "emergency-report")
