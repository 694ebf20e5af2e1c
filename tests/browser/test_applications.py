"""A certificate that needs a staff member's approval: applied for at the kiosk, approved in the
console, and the station learns it (the console shows it applied there, live); a rejection needs
a reason."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import Stack, shot, sign_in

pytestmark = pytest.mark.browser
STUDENT = "6"  # 孙八, born 2008: young enough for the low-income student proof


def apply_at_kiosk(stack: Stack, key: str) -> str:
    """Identify 孙八 by card and apply for the proof for a low-income student; return its id."""
    with stack.kiosk.client() as kiosk:
        session = stack.kiosk.sims.identify(kiosk, resident=STUDENT)
        try:
            applied = kiosk.post("/api/applications", json={
                "session_id": session, "type_code": "PKXS", "purpose": "tuition",
                "idempotency_key": key, "fields": {"school": "海口市第一中学"}})
            assert applied.status_code == 201, applied.text
        finally:
            kiosk.delete(f"/api/sessions/{session}")
            stack.kiosk.sims.remove_card()
    return str(applied.json()["id"])


def test_approve_and_reject_with_a_reason(page: Any, stack: Stack, artifacts: Path) -> None:
    first, second = apply_at_kiosk(stack, "browser-apply-0001"), apply_at_kiosk(stack, "browser-apply-0002")
    sign_in(page)
    page.get_by_role("link", name="证明审核").click()
    card = page.locator(f"[data-application='{first}']")
    expect(card).to_contain_text("孙八", timeout=15_000)  # synced from the station, shown live
    expect(card).not_to_contain_text("海口市第一中学")  # what the resident entered: only when opened
    card.get_by_role("link", name="查看填写内容并审核").click()
    expect(page.locator("dl.facts")).to_contain_text("海口市第一中学")
    shot(page, artifacts, "application")
    page.get_by_role("button", name="批准").click()
    expect(page.locator(".flash.ok")).to_contain_text("已批准")
    expect(page.locator("[data-field=delivery]")).to_contain_text("已发往站点")

    page.goto(f"/console/applications/{second}")
    page.get_by_role("button", name="驳回").click()  # no reason: the browser refuses to send it
    expect(page.locator(".flash")).to_have_count(0)
    page.get_by_label("驳回理由").fill("需补充学校证明 / the school's letter is needed")
    page.get_by_role("button", name="驳回").click()
    expect(page.locator(".flash.ok")).to_contain_text("已驳回")

    page.get_by_role("link", name="证明审核", exact=True).click()
    page.get_by_role("link", name="全部").click()
    expect(page.locator(f"[data-application='{first}'] [data-field=delivery]")).to_contain_text(
        "站点已执行", timeout=15_000)  # the station applied the approval: live
    expect(page.locator(f"[data-application='{second}']")).to_contain_text("需补充学校证明")
    shot(page, artifacts, "applications")
    with stack.staff() as staff:
        audit = staff.get("/api/staff/audit", params={"target": f"application:{first}"}).json()
    assert {"application.view", "application.decide"} <= {e["action"] for e in audit}
