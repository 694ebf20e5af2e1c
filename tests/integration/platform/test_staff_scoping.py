"""What staff of one community may read of another's, on a running platform (SQLite and
PostgreSQL): the audit log and the live stream stay within the reader's area, a token in the URL
opens the stream only, and administrators manage accounts within their area only."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from backend.platform.db.area_models import OrgUnit
from backend.platform.db.session import make_engine, make_session_factory, write_transaction
from backend.platform.settings import database_url
from support.platform_stack import COMMUNITY, Platform
from support.stack import poll

OTHER = "460107002002"
PASSWORD = "scoping-test-pass-1"


def _add_community(platform: Platform, code: str) -> None:
    url = database_url(platform.database_url) if platform.database_url else \
        f"sqlite:///{platform.data_dir / 'platform.db'}"
    engine = make_engine(url)
    try:
        with write_transaction(make_session_factory(engine)) as session:
            if session.get(OrgUnit, code) is None:
                street = session.scalar(select(OrgUnit).where(OrgUnit.code == "460107002"))
                assert street is not None
                session.add(OrgUnit(code=code, level="community", parent_code=street.code, name_zh="安乐社区",
                                    name_en="Anle Community", path=f"{street.path}{code}/", details={}))
    finally:
        engine.dispose()


def _client(platform: Platform, username: str, password: str = PASSWORD) -> httpx.Client:
    answer = httpx.post(platform.url + "/api/auth/login", json={"username": username, "password": password})
    assert answer.status_code == 200, answer.text
    return httpx.Client(base_url=platform.url, timeout=30,
                        headers={"Authorization": f"Bearer {answer.json()['token']}"})


@pytest.fixture(scope="module")
def admins(platform: Platform) -> Iterator[dict[str, httpx.Client]]:
    """The city's demo administrator and one administrator of each of two communities."""
    _add_community(platform, OTHER)
    with platform.staff() as city:
        for name, unit in (("scope-admin-a", COMMUNITY), ("scope-admin-b", OTHER)):
            created = city.post("/api/staff/users", json={"username": name, "password": PASSWORD, "role": "admin",
                                                          "org_code": unit, "must_change_password": False})
            assert created.status_code in (201, 409), created.text
    clients = {"city": platform.staff(), "a": _client(platform, "scope-admin-a"),
               "b": _client(platform, "scope-admin-b")}
    yield clients
    for client in clients.values():
        client.close()


def test_the_audit_log_stays_within_the_readers_area(admins: dict[str, httpx.Client]) -> None:
    made = admins["b"].post("/api/staff/stations", json={"station_id": "scope-b-1", "name": "B",
                                                         "community_code": OTHER, "station_code": "S81"})
    assert made.status_code == 201, made.text
    assert admins["b"].post("/api/staff/stations/scope-b-1/enrolment-codes").status_code == 201
    assert admins["city"].post("/api/staff/stations/scope-b-1/enrolment-codes").status_code == 201

    seen_by_a = admins["a"].get("/api/staff/audit", params={"limit": 1000}).json()
    assert seen_by_a, "community A's administrator sees their own sign-in at least"
    assert all(e["org_code"] in (COMMUNITY, f"{COMMUNITY}-01", f"{COMMUNITY}-02") for e in seen_by_a), seen_by_a
    assert not [e for e in seen_by_a if e["target"] == "station:scope-b-1" or e["actor"] == "admin"]
    seen_by_b = admins["b"].get("/api/staff/audit", params={"target": "station:scope-b-1"}).json()
    assert [e["action"] for e in seen_by_b].count("station.enrolment_code") == 1  # not the city's
    seen_by_city = admins["city"].get("/api/staff/audit", params={"limit": 1000}).json()
    assert {e["actor"] for e in seen_by_city} >= {"admin", "scope-admin-a", "scope-admin-b"}


def test_a_failed_sign_in_does_not_store_the_typed_name(platform: Platform,
                                                         admins: dict[str, httpx.Client]) -> None:
    typed = "MySecretPasswordInTheWrongField"
    answer = httpx.post(platform.url + "/api/auth/login", json={"username": typed, "password": "x"})
    assert answer.json()["code"] == "auth.bad_credentials"
    entries = admins["city"].get("/api/staff/audit", params={"limit": 50}).json()
    assert typed not in json.dumps(entries)
    (failed, *_) = [e for e in entries if e["action"] == "auth.login_failed"]
    assert failed["actor"] == "unknown user" and len(failed["detail"]["name_hash"]) == 16


def test_a_token_in_the_url_opens_the_stream_only(platform: Platform, admins: dict[str, httpx.Client]) -> None:
    token = admins["a"].headers["Authorization"].removeprefix("Bearer ")
    refused = httpx.get(platform.url + "/api/staff/stations", params={"access_token": token})
    assert (refused.status_code, refused.json()["code"]) == (401, "auth.required")
    assert admins["a"].get("/api/staff/stations").status_code == 200
    with httpx.stream("GET", platform.url + "/api/staff/stream", params={"access_token": token},
                      timeout=10) as stream:
        assert stream.status_code == 200
        assert next(stream.iter_lines()) == ": connected"


class Listener:
    """Reads one user's staff stream in a thread, keeping the events."""

    def __init__(self, platform: Platform, client: httpx.Client) -> None:
        self.events: list[dict[str, Any]] = []
        self._client = httpx.Client(base_url=platform.url, headers=dict(client.headers), timeout=None)
        self._connected = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()
        assert self._connected.wait(10)

    def _read(self) -> None:
        try:
            with self._client.stream("GET", "/api/staff/stream") as stream:
                for line in stream.iter_lines():
                    self._connected.set()
                    if line.startswith("data: "):
                        self.events.append(json.loads(line[6:]))
        except httpx.HTTPError:
            pass

    def close(self) -> None:
        self._client.close()


def test_the_stream_sends_ticket_and_station_events_only_within_the_area(
        platform: Platform, admins: dict[str, httpx.Client]) -> None:
    key = admins["city"].post("/api/staff/open311/keys", json={"name": "scope-o311", "org_code": COMMUNITY})
    assert key.status_code == 201, key.text
    a, b = Listener(platform, admins["a"]), Listener(platform, admins["b"])
    try:
        filed = httpx.post(platform.url + "/open311/v2/requests.json", data={
            "api_key": key.json()["api_key"], "service_code": "public_facilities",
            "address_string": "桂林社区3号楼", "description": "路灯不亮", "attribute[community]": COMMUNITY,
            "attribute[building]": "3", "attribute[phrase][]": "streetlight"})
        assert filed.status_code == 200, filed.text
        ticket_no = filed.json()[0]["service_request_id"]
        created = admins["city"].post("/api/staff/stations", json={
            "station_id": "scope-a-1", "name": "A", "community_code": COMMUNITY, "station_code": "S91"})
        assert created.status_code == 201, created.text
        sentinel = admins["city"].post("/api/staff/stations", json={
            "station_id": "scope-b-2", "name": "B", "community_code": OTHER, "station_code": "S82"})
        assert sentinel.status_code == 201, sentinel.text
        poll(lambda: any(e.get("station_id") == "scope-b-2" for e in b.events), "B's own station event")
        poll(lambda: any(e.get("station_id") == "scope-a-1" for e in a.events), "A's own station event")
    finally:
        a.close()
        b.close()
    assert any(e.get("ticket_no") == ticket_no for e in a.events), a.events
    assert not [e for e in b.events if e.get("ticket_no") or e.get("station_id") == "scope-a-1"], b.events
    assert not [e for e in a.events if e.get("station_id") == "scope-b-2"], a.events


def test_administrators_manage_accounts_within_their_area(platform: Platform,
                                                         admins: dict[str, httpx.Client]) -> None:
    made = admins["a"].post("/api/staff/users", json={"username": "scope-staff-a", "password": PASSWORD,
                                                      "role": "staff", "org_code": COMMUNITY})
    assert made.status_code in (201, 409), made.text
    listed = {u["username"] for u in admins["a"].get("/api/staff/users").json()}
    assert "scope-staff-a" in listed and not listed & {"admin", "scope-admin-b"}
    assert admins["b"].post("/api/staff/users/scope-staff-a/deactivate").json()["code"] == "user.not_found"
    assert admins["a"].post("/api/staff/users/admin/password",
                            json={"password": "x" * 12}).json()["code"] == "user.not_found"

    reset = admins["a"].post("/api/staff/users/scope-staff-a/password", json={"password": "temporary-pass-99"})
    assert reset.status_code == 200 and reset.json()["must_change_password"] is True
    with _client(platform, "scope-staff-a", "temporary-pass-99") as staff:
        assert staff.get("/api/staff/stations").json()["code"] == "auth.password_change_required"
        assert staff.post("/api/auth/password", json={"current_password": "temporary-pass-99",
                                                      "new_password": "own-pass-of-staff-a"}).status_code == 200
        assert staff.get("/api/staff/stations").status_code == 200
        assert admins["a"].post("/api/staff/users/scope-staff-a/deactivate").json()["active"] is False
        assert staff.get("/api/staff/stations").status_code == 401  # its sessions ended at once
    refused = httpx.post(platform.url + "/api/auth/login", json={"username": "scope-staff-a",
                                                                  "password": "own-pass-of-staff-a"})
    assert refused.json()["code"] == "auth.bad_credentials"
    assert admins["a"].post("/api/staff/users/scope-staff-a/activate").json()["active"] is True
    assert admins["a"].post("/api/staff/users/scope-admin-a/deactivate").status_code == 403  # not oneself
