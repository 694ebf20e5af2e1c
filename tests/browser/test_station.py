"""A station's page: its components, counters as a chart, commands and their results as the
station answers (live), the diagnostics bundle; and the certificate registry: reprint a certificate
from the console, revoke it with a reason, and the kiosk refuses the printed QR."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from support.stack import poll

from .conftest import STATION_ID, Stack, shot, sign_in

pytestmark = pytest.mark.browser


def test_commands_answer_live_and_diagnostics_download(page: Any, stack: Stack, artifacts: Path) -> None:
    sign_in(page)
    page.get_by_role("link", name=f"test {STATION_ID}").click()
    page.wait_for_url(f"**/console/stations/{STATION_ID}")
    expect(page.locator("tr[data-component=printer]")).to_contain_text("正常")
    assert page.locator("svg.chart").count() == 1

    page.get_by_label("暂停原因（显示给居民）").fill("盘点 / stocktaking")
    page.get_by_role("button", name="暂停服务").click()
    expect(page.locator(".flash.ok")).to_contain_text("指令已发送")
    first = page.locator("table.commands tbody tr").first
    expect(first).to_have_attribute("data-status", "done", timeout=15_000)  # the station's answer, live
    expect(page.locator("#live-summary")).to_contain_text("已暂停", timeout=15_000)
    expect(page.locator("#live-summary")).to_contain_text("盘点 / stocktaking")

    page.get_by_role("button", name="恢复服务").click()
    expect(page.locator("#live-summary")).to_contain_text("正常服务", timeout=15_000)

    jobs = len(stack.kiosk.sims.jobs())
    page.get_by_role("button", name="测试打印").click()
    expect(page.locator("table.commands tbody tr").first).to_have_attribute("data-status", "done", timeout=15_000)
    expect(page.locator("table.commands tbody tr").first).to_contain_text("已打印")
    stack.kiosk.sims.wait_for_jobs(jobs + 1)  # the sample page came out of the simulated printer

    page.get_by_role("button", name="收集诊断信息").click()
    link = page.get_by_role("link", name="下载诊断包")
    expect(link).to_be_visible(timeout=15_000)
    with page.expect_download() as download:
        link.click()
    bundle = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert {c["id"] for c in bundle["command"]["result"]["data"]["components"]} >= {"printer", "idcard"}
    shot(page, artifacts, "station")


def test_reprint_then_revoke_and_the_kiosk_refuses_it(page: Any, stack: Stack, artifacts: Path) -> None:
    certificate = stack.kiosk.issue(1, "browser-revoke")[0]
    poll(lambda: stack.kiosk.outbox_depth() == 0, "the certificate to reach the platform")
    jobs_before = len(stack.kiosk.sims.jobs())
    sign_in(page)

    page.goto(f"/console/stations/{STATION_ID}")
    page.get_by_label("证明", exact=True).select_option(certificate["id"])
    page.get_by_role("button", name="补打证明").click()
    expect(page.locator("table.commands tbody tr").first).to_have_attribute("data-status", "done",
                                                                            timeout=15_000)
    job = stack.kiosk.sims.wait_for_jobs(jobs_before + 1)[-1]
    token = job["qr_codes"][0]["payload"]
    assert _verdict(stack, token) == "genuine"

    page.goto("/console/certificates")
    page.get_by_label("编号、脱敏证件号或姓名").fill(certificate["serial"])
    page.get_by_role("button", name="查找").click()
    row = page.locator(f"tr[data-serial='{certificate['serial']}']")
    expect(row).to_have_count(1)
    row.get_by_label("撤销理由").fill("开具有误 / issued in error")
    shot(page, artifacts, "certificates")
    page.once("dialog", lambda dialog: dialog.accept())  # revoking asks first
    row.get_by_role("button", name="撤销").click()
    expect(page.locator(".flash.ok")).to_contain_text("已撤销")
    expect(row).to_contain_text("已撤销")
    poll(lambda: _verdict(stack, token) == "revoked", "the kiosk to refuse the revoked certificate")


def _verdict(stack: Stack, token: str) -> str:
    answer = httpx.post(stack.kiosk.url + "/api/verify", json={"token": token}, timeout=10,
                        auth=stack.kiosk.auth).json()
    return str(answer["verdict"])
