"""The community register in the console: a file with a bad row changes nothing and says which
row and why; an empty file is refused; a good file is previewed (added, changed, removed, with
masked samples) and changes the register only when confirmed; a large removal asks twice; the
register as it was is kept and can be restored."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from support.stack import REPO

from .conftest import Stack, shot, sign_in

pytestmark = pytest.mark.browser
DEMO = REPO / "assets" / "register" / "demo_register.csv"


def _upload(page: Any, data: bytes) -> None:
    page.get_by_label("名册文件").set_input_files(files=[{"name": "register.csv", "mimeType": "text/csv",
                                                      "buffer": data}])
    page.get_by_role("button", name="上传并预览").click()


def _size(page: Any) -> str:
    return str(page.locator("#community option:checked").inner_text())


def test_upload_reports_each_rejected_row_then_imports(page: Any, stack: Stack, artifacts: Path) -> None:
    good = DEMO.read_bytes()
    bad = good + "460107199001011234,坏行,男,1990-01-01,01,1,1,101,H1,2020-01-01,active\n".encode()
    lines = good.decode().count("\n")
    sign_in(page)
    page.get_by_role("link", name="居民名册").click()
    size_before = _size(page)

    _upload(page, bad)
    expect(page.get_by_role("alert")).to_contain_text("名册未作任何改动")
    rejected = page.locator("table.rejected tbody tr")
    expect(rejected).to_have_count(1)
    expect(rejected.first.locator("td").first).to_have_text(str(lines + 1))  # the header is line 1
    shot(page, artifacts, "register-rejected")

    _upload(page, good.splitlines(keepends=True)[0])  # a header only: it emptied the register once
    expect(page.get_by_role("alert")).to_contain_text("名册未作任何改动")
    expect(page.locator("table.rejected")).to_contain_text("文件中没有居民")

    half = b"".join(good.splitlines(keepends=True)[: 1 + (lines - 1) // 2]).decode().encode("gb18030")
    _upload(page, half)
    expect(page.locator("#preview")).to_contain_text("名册尚未更改")
    expect(page.locator("#preview")).to_contain_text("GB18030")
    expect(page.locator("strong.removed")).to_have_text(str(lines - 1 - (lines - 1) // 2))
    expect(page.locator("table.samples.removed tbody tr").first).to_contain_text("**")
    box = page.get_by_role("checkbox")
    expect(box).to_be_visible()  # a large removal needs its own yes: the form will not go without it
    page.get_by_role("button", name="确认导入").click()
    expect(page.locator("#preview")).to_be_visible()
    shot(page, artifacts, "register-preview-removal")
    page.get_by_role("button", name="取消，不导入").click()
    expect(page.get_by_role("status")).to_contain_text("已取消，名册未改动")
    assert _size(page) == size_before

    _upload(page, good)
    expect(page.locator("strong.removed")).to_have_text("0")
    page.get_by_role("button", name="确认导入").click()
    expect(page.locator("#report .flash.ok")).to_contain_text(f"已导入: {lines - 1}")
    expect(page.locator("#report")).to_contain_text("已保存为版本")
    restore = page.locator("table.versions tbody tr").first.get_by_role("button", name="恢复此版本…")
    restore.click()
    expect(page.locator("#preview")).to_contain_text("名册尚未更改")
    page.get_by_role("button", name="取消，不导入").click()
    page.get_by_role("link", name="查看当前名册").click()
    expect(page.locator("table.residents tbody tr")).to_have_count(lines - 1)
    assert "**" in page.locator("table.residents tbody tr").first.inner_text()


def test_the_preview_fits_a_phone(chromium: Any, stack: Stack, artifacts: Path) -> None:
    context = chromium.new_context(base_url=stack.platform.url, viewport={"width": 390, "height": 844},
                                   locale="zh-CN")
    try:
        page = context.new_page()
        sign_in(page)
        page.goto("/console/register")
        good = DEMO.read_bytes()
        _upload(page, b"".join(good.splitlines(keepends=True)[:3]))
        expect(page.locator("#preview")).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the preview is {width} px wide on a 390 px phone"
        shot(page, artifacts, "register-preview-phone")
        page.get_by_role("button", name="取消，不导入").click()
    finally:
        context.close()
