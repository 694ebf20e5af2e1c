"""Only the kiosk's own programs may call the station: every call and the event socket need the
token from ``station-api.token`` (0600, new at every start). A process without it cannot issue a
certificate for the resident at the screen, read the event stream or take a photo."""

from __future__ import annotations

import stat
from pathlib import Path

import httpx
import pytest
from websockets.exceptions import InvalidStatus, WebSocketException
from websockets.sync.client import connect

from support.fixtures import shared_stack
from support.stack import Station, station

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
