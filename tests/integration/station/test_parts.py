"""The supervisor tells the station which of its processes is out of service (and back); the
station records each change once, in its outbox, for the platform. Only the kiosk's own programs
may say so (the API token)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import httpx

from support.fixtures import shared_stack
from support.stack import Station

_stack, running_station, sims, data_dir = shared_stack()


def _part_events(folder: Path) -> list[dict[str, Any]]:
    with sqlite3.connect(f"file:{folder / 'station.db'}?mode=ro", uri=True) as db:
        rows = db.execute("SELECT payload FROM outbox WHERE event_type = 'component.status' ORDER BY seq")
        payloads = [p if isinstance(p, dict) else json.loads(p) for (p,) in rows]
    return [p for p in payloads if p.get("kind") == "process"]


def test_a_part_out_of_service_and_back_is_recorded_once_each(running_station: Station) -> None:
    with running_station.client() as client:
        down = {"state": "out_of_service", "detail": "crash loop (5 restarts within 600 s); last: exit -9"}
        first = client.put("/api/station/parts/ui", json=down)
        assert first.status_code == 200 and first.json() == {"component": "process.ui",
                                                             "state": "out_of_service", "recorded": True}
        assert client.put("/api/station/parts/ui", json=down).json()["recorded"] is False  # said already
        assert client.put("/api/station/parts/ui", json={"state": "running"}).json()["recorded"] is True
    events = _part_events(running_station.data_dir)
    assert [(e["id"], e["state"], e["code"]) for e in events] == [
        ("process.ui", "UNAVAILABLE", "NOT_RESPONDING"), ("process.ui", "READY", "OK")]
    assert "crash loop" in events[0]["detail"]


def test_reports_are_checked_and_need_the_token(running_station: Station) -> None:
    with running_station.client() as client:
        assert client.put("/api/station/parts/UI;drop", json={"state": "running"}).status_code == 422
        assert client.put("/api/station/parts/ui", json={"state": "exploded"}).status_code == 422
    anonymous = httpx.put(running_station.url + "/api/station/parts/ui", json={"state": "running"}, timeout=5)
    assert anonymous.status_code == 401
