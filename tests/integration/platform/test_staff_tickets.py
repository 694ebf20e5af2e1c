"""The staff API for tickets over HTTP: a unit's staff see their unit's tickets, technicians none;
impossible steps are refused with stable codes and change nothing; duplicates are suggested and
linked; every action lands in the audit log."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from support.platform_stack import Platform

from .open311_client import Open311Client

COMMUNITY, GRID_2 = "460107002001", "460107002001-02"
PASSWORD = "correct-horse-battery"


@pytest.fixture(scope="module")
def people(platform: Platform) -> Iterator[dict[str, httpx.Client]]:
    """Signed-in clients: community staff, grid 2 staff, a technician (and the admin)."""
    clients: dict[str, httpx.Client] = {"admin": platform.staff()}
    for name, role, org in (("comm-1", "staff", COMMUNITY), ("grid2-1", "staff", GRID_2),
                            ("tech-1", "technician", COMMUNITY)):
        created = clients["admin"].post("/api/staff/users", json={"username": name, "password": PASSWORD,
                                                                  "role": role, "org_code": org,
                                                                  "must_change_password": False})
        assert created.status_code == 201, created.text
        token = httpx.post(platform.url + "/api/auth/login", json={"username": name, "password": PASSWORD}).json()
        clients[name] = httpx.Client(base_url=platform.url, timeout=30,
                                     headers={"Authorization": f"Bearer {token['token']}"})
    yield clients
    for client in clients.values():
        client.close()


def _open311_ticket(platform: Platform, admin: httpx.Client, text: str) -> str:
    key = admin.post("/api/staff/open311/keys", json={"name": "staff-test", "org_code": COMMUNITY}).json()
    open311 = Open311Client(platform.url + "/open311/v2", api_key=key["api_key"])
    (created,) = open311.post_request("safety_hazard", attributes={"community": COMMUNITY, "building": "9"},
                                      address_string="9号楼", description=text)
    return str(created["service_request_id"])


def _numbers(client: httpx.Client) -> set[str]:
    return {t["ticket_no"] for t in client.get("/api/staff/tickets").json()}


def test_units_roles_refusals_duplicates_and_audit(platform: Platform, people: dict[str, httpx.Client]) -> None:
    admin, community, grid2, tech = people["admin"], people["comm-1"], people["grid2-1"], people["tech-1"]
    first = _open311_ticket(platform, admin, "9号楼楼道有电动车在充电")
    second = _open311_ticket(platform, admin, "9号楼楼道电动车充电，很危险")
    assert {first, second} <= _numbers(community)
    assert not {first, second} & _numbers(grid2)  # not dispatched to grid 2
    assert grid2.get(f"/api/staff/tickets/{first}").status_code == 404
    forbidden = tech.get("/api/staff/tickets")
    assert forbidden.status_code == 403 and forbidden.json()["code"] == "auth.forbidden"

    refused = community.post(f"/api/staff/tickets/{first}/close", json={"outcome": "resolved"})
    assert (refused.status_code, refused.json()["code"]) == (409, "ticket.not_signed")
    assert set(refused.json()["message"]) == {"zh", "en"}
    assert community.get(f"/api/staff/tickets/{first}").json()["state"] == "received"  # nothing changed
    bad: list[tuple[str, dict[str, Any], str]] = [
        ("classify", {"category": "weather", "grade": "normal"}, "ticket.unknown_category"),
        ("dispatch", {"unit": GRID_2, "role": "grid_worker"}, "ticket.not_classified"),
    ]
    for action, body, code in bad:
        response = community.post(f"/api/staff/tickets/{first}/{action}", json=body)
        assert response.json()["code"] == code

    community.post(f"/api/staff/tickets/{first}/classify", json={"category": "safety_hazard", "grade": "normal"})
    outside = community.post(f"/api/staff/tickets/{first}/dispatch", json={"unit": "460107", "role": "police_officer"})
    assert outside.json()["code"] == "auth.forbidden"  # the district is above the community's reach
    dispatched = community.post(f"/api/staff/tickets/{first}/dispatch", json={"unit": GRID_2, "role": "grid_worker"})
    assert dispatched.status_code == 200 and dispatched.json()["assigned"]["level"] == "grid"
    seen = grid2.get(f"/api/staff/tickets/{first}").json()
    assert seen["allowed_actions"] == ["sign", "return"] and first in _numbers(grid2)

    duplicates = community.get(f"/api/staff/tickets/{first}/duplicates").json()
    assert [d["ticket_no"] for d in duplicates] == [second] and duplicates[0]["similarity"] > 0
    assert community.post(f"/api/staff/tickets/{first}/links", json={"other": second}).status_code == 201
    assert community.post(f"/api/staff/tickets/{second}/links", json={"other": first}).json()["code"] == \
        "ticket.already_linked"
    assert community.get(f"/api/staff/tickets/{second}").json()["linked"] == [first]
    assert community.get(f"/api/staff/tickets/{first}/duplicates").json() == []  # linked: no longer suggested
    assert community.get(f"/api/staff/tickets/{first}/photo").status_code == 404

    audit = admin.get("/api/staff/audit", params={"target": f"ticket:{first}"}).json()
    assert [(e["actor"], e["action"]) for e in reversed(audit)] == [
        ("api:staff-test", "ticket.submit"), ("comm-1", "ticket.classify"), ("comm-1", "ticket.dispatch"),
        ("comm-1", "ticket.link")]
