"""The console over plain HTTP against a running platform (SQLite and PostgreSQL): pages need a
session, sign-in and every post need their CSRF token and refuse other origins, cookies are
HttpOnly and SameSite=Strict, redirects stay inside the console, roles and areas are checked on
the server, actions reach the audit log, and pages load nothing from elsewhere."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from support.platform_stack import ADMIN, COMMUNITY, Platform

PASSWORD = "console-test-pass-1"


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF field on the page"
    return found.group(1)


def signed_in(platform: Platform, username: str, password: str) -> httpx.Client:
    """A browser-like client (cookies kept) signed in through the form."""
    client = httpx.Client(base_url=platform.url, timeout=30)
    form = client.get("/console/login")
    answer = client.post("/console/login", data={"csrf": _csrf(form.text), "username": username,
                                                 "password": password, "next": "/console/alerts"})
    assert (answer.status_code, answer.headers["location"]) == (303, "/console/alerts"), answer.text
    return client


@pytest.fixture(scope="module")
def admin(platform: Platform) -> Iterator[httpx.Client]:
    client = signed_in(platform, ADMIN["username"], ADMIN["password"])
    yield client
    client.close()


@pytest.fixture(scope="module")
def technician(platform: Platform) -> Iterator[httpx.Client]:
    with platform.staff() as staff:
        created = staff.post("/api/staff/users", json={"username": "console-tech", "password": PASSWORD,
                                                       "role": "technician", "org_code": COMMUNITY,
                                                       "must_change_password": False})
        assert created.status_code in (201, 409), created.text
    client = signed_in(platform, "console-tech", PASSWORD)
    yield client
    client.close()


def test_pages_need_a_session(platform: Platform) -> None:
    for path in ("/console/fleet", "/console/alerts", "/console/tickets", "/console/stations/x"):
        answer = httpx.get(platform.url + path, timeout=10)
        assert answer.status_code == 303
        assert answer.headers["location"].startswith("/console/login?next=%2Fconsole%2F")
    assert httpx.get(platform.url + "/console/fleet/rows", timeout=10).status_code == 303


def test_sign_in_sets_a_strict_http_only_cookie(platform: Platform) -> None:
    with httpx.Client(base_url=platform.url, timeout=30) as client:
        form = client.get("/console/login")
        answer = client.post("/console/login", data={"csrf": _csrf(form.text), **ADMIN})
        cookie = next(h for h in answer.headers.get_list("set-cookie") if h.startswith("kc_session="))
        assert {"HttpOnly", "SameSite=strict", "Path=/console"} <= {p.strip() for p in cookie.split(";")}
        max_age = re.search(r"Max-Age=(\d+)", cookie)
        assert max_age is not None and 0 < int(max_age[1]) <= 3600  # it ends with the token


@pytest.mark.parametrize("change", ["no token", "wrong token", "other origin"])
def test_sign_in_refuses_a_forged_form(platform: Platform, change: str) -> None:
    with httpx.Client(base_url=platform.url, timeout=30) as client:
        token = _csrf(client.get("/console/login").text)
        headers = {"Origin": "http://evil.example"} if change == "other origin" else {}
        data = {**ADMIN, "csrf": {"no token": "", "wrong token": "0" * 64}.get(change, token)}
        answer = client.post("/console/login", data=data, headers=headers)
        assert answer.status_code == 403
        assert "kc_session" not in answer.headers.get("set-cookie", "")


def test_posts_need_the_sessions_token(platform: Platform, admin: httpx.Client) -> None:
    for data, headers in (({"kind": "resume"}, {}),
                          ({"kind": "resume", "csrf": "f" * 64}, {}),
                          ({"kind": "resume", "csrf": _csrf(admin.get("/console/fleet").text)},
                           {"Origin": "http://evil.example"})):
        answer = admin.post("/console/stations/nowhere/commands", data=data, headers=headers)
        assert answer.status_code == 403 and "页面已过期" in answer.text


def test_redirects_stay_in_the_console(platform: Platform, admin: httpx.Client) -> None:
    for target in ("https://evil.example/", "//evil.example/console", "/console/../api/x\\y"):
        answer = admin.get("/console/lang", params={"to": "en", "next": target})
        assert answer.headers["location"] == "/console/fleet"
    answer = admin.get("/console/lang", params={"to": "en", "next": "/console/alerts"})
    assert answer.headers["location"] == "/console/alerts"
    assert "<h1>Alerts</h1>" in admin.get("/console/alerts").text
    admin.get("/console/lang", params={"to": "zh"})


def test_roles_are_checked_on_the_server(platform: Platform, technician: httpx.Client) -> None:
    assert technician.get("/console/tickets").status_code == 403
    assert technician.get("/console/register").status_code == 403
    assert technician.get("/console/applications").status_code == 403
    page = technician.get("/console/fleet")
    assert page.status_code == 200 and ">工单<" not in page.text  # not offered either
    token = _csrf(page.text)
    revoke = technician.post("/console/certificates/unknown-id/revoke", data={"csrf": token, "reason": "x"})
    assert revoke.status_code == 303 and "error=auth.forbidden" in revoke.headers["location"]


def test_actions_are_audited_and_pages_load_nothing_from_elsewhere(platform: Platform,
                                                                   admin: httpx.Client) -> None:
    page = admin.get("/console/fleet")
    policy = page.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert not re.search(r'(src|href)="(https?:)?//', page.text)  # no CDN, nothing remote
    assert admin.get("/console/static/console.js").status_code == 200
    assert admin.get("/console/static/..%2Fsession.py").status_code == 404

    token = _csrf(page.text)
    admin.post("/console/alerts/999999/acknowledge", data={"csrf": token})
    with platform.staff() as staff:
        audit = staff.get("/api/staff/audit", params={"target": "user:admin"}).json()
    assert any(e["action"] == "auth.login" for e in audit)
