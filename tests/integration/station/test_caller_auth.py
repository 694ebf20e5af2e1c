"""Only the kiosk's own programs may call the station: every call and the event socket need the
token from ``station-api.token`` (0600, new at every start). A process without it cannot issue a
certificate for the resident at the screen, read the event stream or take a photo."""

from __future__ import annotations

import json
import stat
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.exceptions import InvalidStatus, WebSocketException
from websockets.sync.client import connect

from support.fixtures import shared_stack
from support.stack import Simulators, Station, station

_stack, running_station, sims, data_dir = shared_stack()

WITHOUT_TOKEN = [("GET", "/api/station", None), ("POST", "/api/sessions", {"service": "certificates"}),
                 ("POST", "/api/certificates", {"session_id": "x" * 36, "type_code": "JZZM",
                                                "purpose": "school", "idempotency_key": "k" * 16}),
                 ("POST", "/api/applications/pickup", {"code": "QJ1:x"}),
                 ("POST", "/api/camera/photo", None), ("GET", "/metrics", None),
                 ("POST", "/api/sim/idcard/card", {"resident": "1"})]


@pytest.mark.parametrize(("method", "path", "body"), WITHOUT_TOKEN, ids=[p for _, p, _ in WITHOUT_TOKEN])
def test_a_call_without_the_token_is_refused(running_station: Station, method: str, path: str,
                                             body: dict[str, str] | None) -> None:
    for headers in ({}, {"Authorization": "Bearer not-the-token"}):
        answer = httpx.request(method, running_station.url + path, json=body, headers=headers, timeout=10)
        assert answer.status_code == 401, (path, answer.text)
        assert answer.json()["code"] == "station.token_required" and answer.json()["message"]["zh"]


def test_the_token_file_is_private_and_lets_the_kiosk_in(running_station: Station) -> None:
    token_file = running_station.data_dir / "station-api.token"
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert len(token_file.read_text().strip()) >= 40
    with running_station.client() as kiosk:
        assert kiosk.get("/api/station").status_code == 200
    assert httpx.get(running_station.url + "/api/health", timeout=10).status_code == 200  # no data


def test_the_event_stream_needs_the_token(running_station: Station) -> None:
    url = running_station.url.replace("http://", "ws://") + "/ws/events"
    with pytest.raises((InvalidStatus, WebSocketException, OSError)), \
            connect(url, open_timeout=5) as refused:
        refused.recv(timeout=5)  # closed with 1008 before any event
    token = (running_station.data_dir / "station-api.token").read_text().strip()
    with connect(url, open_timeout=5, additional_headers={"Authorization": f"Bearer {token}"}) as ws:
        assert '"hello"' in str(ws.recv(timeout=5))


def test_every_start_writes_a_new_token(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    tokens = []
    for _ in range(2):
        with station(folder) as started, started.client() as kiosk:
            tokens.append((folder / "station-api.token").read_text())
            assert kiosk.get("/api/station").status_code == 200
    assert tokens[0] != tokens[1]


def test_the_data_folder_and_database_are_the_owners_alone(running_station: Station) -> None:
    folder = running_station.data_dir
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    databases = [p for p in folder.iterdir() if p.name.startswith("station.db")]
    assert databases and all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in databases), \
        {p.name: oct(p.stat().st_mode) for p in databases}


def _as(station: Station, client_id: str) -> httpx.Client:
    return httpx.Client(base_url=station.url, timeout=30, auth=station.auth,
                        headers={"X-Kiosk-Client": client_id})


def test_a_session_and_its_events_belong_to_the_client_that_opened_it(running_station: Station,
                                                                     sims: Simulators) -> None:
    url = running_station.url.replace("http://", "ws://") + "/ws/events"
    token = running_station.auth.header()
    with _as(running_station, "kiosk-ui") as kiosk, _as(running_station, "other-program") as other, \
            connect(url, additional_headers=token | {"X-Kiosk-Client": "kiosk-ui"}) as mine, \
            connect(url, additional_headers=token | {"X-Kiosk-Client": "other-program"}) as theirs:
        for ws in (mine, theirs):
            ws.recv(timeout=5)  # hello
        session = kiosk.post("/api/sessions", json={"service": "certificates"}).json()["id"]
        sims.insert_card("1")
        seen_by_mine = _events_until(mine, "session.identified")
        assert any(e["type"] == "session.started" and e["data"]["id"] == session for e in seen_by_mine)
        assert kiosk.get(f"/api/sessions/{session}").json()["identity"] is not None
        for refused in (other.get(f"/api/sessions/{session}"),
                        other.post("/api/certificates", json={"session_id": session, "type_code": "JZZM",
                                                               "purpose": "school", "idempotency_key": "k" * 16})):
            assert refused.status_code == 404 and refused.json()["code"] == "session.not_found"
        sims.call("POST", "/devices/scanner/scan", {"text": "ZM1:SOMETHING-THE-RESIDENT-SCANNED"})
        assert any(e["type"] == "code.scanned" for e in _events_until(mine, "code.scanned"))
        leaked = _events_for(theirs, 1.0)
        assert not [e for e in leaked if e["type"].startswith(("session.", "code.", "card."))], leaked
        kiosk.delete(f"/api/sessions/{session}")


def _events_until(ws: Any, wanted: str) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        seen.append(json.loads(ws.recv(timeout=10)))
        if seen[-1]["type"] == wanted:
            return seen
    raise AssertionError(f"no {wanted} among {[e['type'] for e in seen]}")


def _events_for(ws: Any, seconds: float) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            seen.append(json.loads(ws.recv(timeout=0.2)))
        except TimeoutError:
            continue
    return seen
