"""Exports from the console over HTTP (SQLite and PostgreSQL): the file holds what the page shows
for the same filters, only the viewer's area, and masked numbers only — never a full ID number or
phone, even one a resident typed into the text."""

from __future__ import annotations

import csv
import io

import httpx
import pytest
from openpyxl import load_workbook

from support.platform_stack import ADMIN, COMMUNITY, Platform

from .open311_client import Open311Client
from .test_console import signed_in

OTHER_COMMUNITY = "460107002002"
PASSWORD = "export-test-pass-1"
PHONE = "13812345678"
ID_NUMBER = "460107199001011234"


def _rows(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


@pytest.fixture(scope="module")
def filed(platform: Platform) -> str:
    """An Open311 ticket in 桂林社区 with a phone, and an ID number typed into its text."""
    with platform.staff() as admin:
        key = admin.post("/api/staff/open311/keys", json={"name": "export-test", "org_code": COMMUNITY}).json()
    open311 = Open311Client(platform.url + "/open311/v2", api_key=key["api_key"])
    (created,) = open311.post_request("safety_hazard", attributes={"community": COMMUNITY, "building": "7"},
                                      address_string="7号楼", phone=PHONE,
                                      description=f"7号楼电线裸露，联系我 {PHONE}，身份证 {ID_NUMBER}")
    return str(created["service_request_id"])


def test_ticket_export_is_masked_and_matches_the_filter(platform: Platform, filed: str) -> None:
    admin = signed_in(platform, ADMIN["username"], ADMIN["password"])
    try:
        answer = admin.get("/console/export/tickets.csv", params={"number": filed})
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith("text/csv")
        assert "attachment" in answer.headers["content-disposition"]
        rows = _rows(answer.content)
        text = answer.content.decode("utf-8-sig")
        assert [r[0] for r in rows[1:]] == [filed]
        assert "138****5678" in rows[1]
        assert PHONE not in text and ID_NUMBER not in text and "4601*************4" in text
        by_phone = _rows(admin.get("/console/export/tickets.csv", params={"phone": "5678"}).content)
        assert filed in [r[0] for r in by_phone[1:]]
        nothing = _rows(admin.get("/console/export/tickets.csv", params={"number": filed, "phone": "0000"}).content)
        assert nothing[1:] == []

        book = admin.get("/console/export/tickets.xlsx", params={"number": filed})
        sheet = load_workbook(io.BytesIO(book.content)).active
        assert sheet is not None
        cells = [str(c.value) for row in sheet.iter_rows() for c in row]
        assert filed in cells and not any(PHONE in c or ID_NUMBER in c for c in cells)

        for what in ("alerts", "certificates", "applications", "fleet", "figures", "figures-daily", "audit",
                     "ratings"):
            for fmt in ("csv", "xlsx"):
                got = admin.get(f"/console/export/{what}.{fmt}")
                assert got.status_code == 200, (what, fmt, got.text[:300])
        audit_text = admin.get("/console/export/audit.csv").content.decode("utf-8-sig")
        assert "open311.key_issued" in audit_text and ID_NUMBER not in audit_text
        assert admin.get("/console/export/secrets.csv").status_code == 404
    finally:
        admin.close()


def test_export_keeps_to_the_viewers_area(platform: Platform, filed: str) -> None:
    with platform.staff() as admin:
        made = admin.post("/api/staff/users", json={"username": "export-other", "password": PASSWORD, "role": "staff",
                                                    "org_code": OTHER_COMMUNITY, "must_change_password": False})
        assert made.status_code in (201, 409), made.text
    other = signed_in(platform, "export-other", PASSWORD)
    try:
        rows = _rows(other.get("/console/export/tickets.csv").content)
        assert filed not in [r[0] for r in rows[1:]]
        fleet = _rows(other.get("/console/export/fleet.csv").content)
        assert all(r[2] == OTHER_COMMUNITY for r in fleet[1:])
        assert other.get("/console/export/audit.csv").status_code == 403  # administrators only
    finally:
        other.close()
    with httpx.Client(base_url=platform.url) as nobody:
        assert nobody.get("/console/export/tickets.csv").status_code == 303  # sign in first
