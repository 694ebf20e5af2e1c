"""The station's staff decisions record who decided from the staff token itself (per-person
tokens, KIOSK_STAFF_TOKENS), never from a name in the request; /docs follows KIOSK_API_DOCS."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from support.stack import Simulators, Station, simulators, station

WANG, LI = "tok-wang-0123456789abcdef", "tok-li-0123456789abcdefgh"


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[tuple[Station, Simulators]]:
    env = {"KIOSK_STAFF_TOKENS": json.dumps({WANG: "王社工", LI: "李社工"}, ensure_ascii=False),
           "KIOSK_API_DOCS": "false"}
    with simulators(tmp_path) as sims, station(tmp_path, env=env) as running:
        yield running, sims


def _apply(client: httpx.Client, sims: Simulators, key: str) -> str:
    session = sims.identify(client, resident="6")
    try:
        application = client.post("/api/applications", json={
            "session_id": session, "type_code": "PKXS", "purpose": "grant", "idempotency_key": key,
            "fields": {"school": "海口市第一中学"}})
        assert application.status_code == 201, application.text
        return str(application.json()["id"])
    finally:
        client.delete(f"/api/sessions/{session}")
        sims.remove_card()


def test_the_decision_records_the_tokens_person_not_the_declared_name(
        stack: tuple[Station, Simulators]) -> None:
    running, sims = stack
    with running.client() as client:
        first, second = _apply(client, sims, "staff-identity-1"), _apply(client, sims, "staff-identity-2")
        decided = client.post(f"/api/staff/applications/{first}/decision",
                              headers={"Authorization": f"Bearer {WANG}"},
                              json={"approve": True, "staff": "冒名者"})
        assert decided.status_code == 200, decided.text
        assert decided.json()["decided_by"] == "王社工"
        other = client.post(f"/api/staff/applications/{second}/decision",
                            headers={"Authorization": f"Bearer {LI}"}, json={"approve": False, "reason": "缺材料"})
        assert other.json()["decided_by"] == "李社工"
        unknown = client.get("/api/staff/applications", headers={"Authorization": "Bearer tok-nobody-0123456789"})
        assert unknown.status_code == 401
    assert httpx.get(running.url + "/docs").status_code in (401, 404)
    assert httpx.get(running.url + "/openapi.json").status_code in (401, 404)
