"""Accounts in the console over plain HTTP (SQLite and PostgreSQL): an administrator creates a
user, who signs in with the temporary password and can open nothing but the password page until
they choose their own; a reset and a deactivation each ask to confirm first."""

from __future__ import annotations

import re

import httpx

from support.platform_stack import ADMIN, COMMUNITY, Platform

TEMPORARY, OWN = "console-temp-pass-1", "console-own-pass-22"


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF field on the page"
    return found.group(1)


def _sign_in(platform: Platform, username: str, password: str) -> tuple[httpx.Client, httpx.Response]:
    client = httpx.Client(base_url=platform.url, timeout=30)
    form = client.get("/console/login")
    answer = client.post("/console/login", data={"csrf": _csrf(form.text), "username": username,
                                                 "password": password, "next": "/console/alerts"})
    return client, answer


def test_a_new_user_must_choose_a_password_before_anything_else(platform: Platform) -> None:
    admin, _ = _sign_in(platform, ADMIN["username"], ADMIN["password"])
    try:
        page = admin.get("/console/users")
        assert page.status_code == 200 and "账户管理" in page.text
        made = admin.post("/console/users", data={"csrf": _csrf(page.text), "username": "console-new-1",
                                                  "password": TEMPORARY, "role": "staff",
                                                  "org_code": COMMUNITY, "display_name": "新同事"})
        assert made.status_code == 303 and "done=done.user_created" in made.headers["location"]
        assert "console-new-1" in admin.get("/console/users").text
    finally:
        admin.close()

    user, signed = _sign_in(platform, "console-new-1", TEMPORARY)
    try:
        assert (signed.status_code, signed.headers["location"]) == (303, "/console/password")
        for elsewhere in ("/console/fleet", "/console/alerts", "/console/tickets"):
            assert user.get(elsewhere).headers["location"] == "/console/password"
        page = user.get("/console/password")
        assert page.status_code == 200 and "临时密码" in page.text
        wrong = user.post("/console/password", data={"csrf": _csrf(page.text), "current": "nope",
                                                     "new": OWN, "again": OWN})
        assert wrong.status_code == 403 and "当前密码不正确" in wrong.text
        done = user.post("/console/password", data={"csrf": _csrf(page.text), "current": TEMPORARY,
                                                    "new": OWN, "again": OWN})
        assert done.status_code == 303 and "done.password_changed" in done.headers["location"]
        assert user.get("/console/alerts").status_code == 200
    finally:
        user.close()


def test_reset_and_deactivation_ask_to_confirm_first(platform: Platform) -> None:
    admin, _ = _sign_in(platform, ADMIN["username"], ADMIN["password"])
    try:
        page = admin.get("/console/users")
        csrf = _csrf(page.text)
        admin.post("/console/users", data={"csrf": csrf, "username": "console-new-2", "password": TEMPORARY,
                                           "role": "technician", "org_code": COMMUNITY})
        asked = admin.post("/console/users/console-new-2/deactivate", data={"csrf": csrf})
        assert asked.status_code == 200 and "确认停用账户" in asked.text and 'value="yes"' in asked.text
        assert "console-new-2" in asked.text
        listed = {u["username"]: u for u in platform.staff().get("/api/staff/users").json()}
        assert listed["console-new-2"]["active"] is True  # nothing happened yet
        done = admin.post("/console/users/console-new-2/deactivate", data={"csrf": csrf, "confirmed": "yes"})
        assert done.status_code == 303 and "done.user_deactivate" in done.headers["location"]
        listed = {u["username"]: u for u in platform.staff().get("/api/staff/users").json()}
        assert listed["console-new-2"]["active"] is False

        asked = admin.post("/console/users/console-new-2/reset", data={"csrf": csrf})
        assert "确认重设密码" in asked.text and 'name="password"' in asked.text
        done = admin.post("/console/users/console-new-2/reset", data={"csrf": csrf, "confirmed": "yes",
                                                                       "password": "another-temp-pass"})
        assert "done.user_reset" in done.headers["location"]
        forged = admin.post("/console/users/console-new-2/activate", data={"confirmed": "yes"})
        assert forged.status_code == 403  # no CSRF token
    finally:
        admin.close()


def test_staff_cannot_open_the_users_page(platform: Platform) -> None:
    with platform.staff() as api:
        api.post("/api/staff/users", json={"username": "console-plain", "password": TEMPORARY, "role": "staff",
                                           "org_code": COMMUNITY, "must_change_password": False})
    client, _ = _sign_in(platform, "console-plain", TEMPORARY)
    try:
        page = client.get("/console/users")
        assert page.status_code == 403
        assert 'href="/console/users"' not in client.get("/console/alerts").text
    finally:
        client.close()
