"""The community register in the console: a file with a bad row changes nothing and says which
row and why; the good file goes in whole."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from support.stack import REPO

from .conftest import Stack, shot, sign_in

pytestmark = pytest.mark.browser
DEMO = REPO / "assets" / "register" / "demo_register.csv"


def test_upload_reports_each_rejected_row_then_imports(page: Any, stack: Stack, artifacts: Path) -> None:
    good = DEMO.read_bytes()
    bad = good + "110105199001011234,坏行,男,1990-01-01,01,1,1,101,H1,2020-01-01,active\n".encode()
    lines = good.decode().count("\n")
    sign_in(page)
    page.get_by_role("link", name="居民名册").click()

    page.get_by_label("名册文件").set_input_files(files=[{"name": "register.csv", "mimeType": "text/csv",
                                                      "buffer": bad}])
    page.get_by_role("button", name="上传并导入").click()
    expect(page.get_by_role("alert")).to_contain_text("名册未作任何改动")
    rejected = page.locator("table.rejected tbody tr")
    expect(rejected).to_have_count(1)
    expect(rejected.first.locator("td").first).to_have_text(str(lines + 1))  # the header is line 1
    shot(page, artifacts, "register-rejected")

    page.get_by_label("名册文件").set_input_files(files=[{"name": "register.csv", "mimeType": "text/csv",
                                                      "buffer": good}])
    page.get_by_role("button", name="上传并导入").click()
    expect(page.locator("#report .flash.ok")).to_contain_text(f"已导入: {lines - 1}")
