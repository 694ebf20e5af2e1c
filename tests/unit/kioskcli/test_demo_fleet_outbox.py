"""A demo station keeps its next event before sending it, as a station's outbox does: a fleet killed
mid-send sends that same event with the same seq when it comes back, never another in its place
(which the platform would count as a duplicate of the seq and drop)."""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path

import httpx

from kioskcli.demo_fleet import FleetStation, _beat_until, _issued


def _station(folder: Path) -> FleetStation:
    station = FleetStation("qs-002002-01", "S01", "460107002002", "府城社区24小时智慧服务站", folder)
    station.load_or_make_keys()
    return station


def test_an_event_kept_before_a_kill_is_sent_again_with_its_seq(tmp_path: Path) -> None:
    station = _station(tmp_path / "qs")
    station.seq, station.serial = 4, 4
    station.pending = _issued(station)  # kept, then the process was killed before the answer
    station.save()

    again = _station(tmp_path / "qs")  # the fleet restarted
    assert (again.seq, again.pending) == (4, station.pending)
    sent: list[tuple[str, dict[str, object]]] = []
    stop = asyncio.Event()

    def platform(request: httpx.Request) -> httpx.Response:
        sent.append((request.url.path, json.loads(request.content)))
        if request.url.path == "/api/sync/heartbeat":
            stop.set()
        return httpx.Response(200, json={})

    async def beat() -> None:
        async with httpx.AsyncClient(base_url="http://platform", transport=httpx.MockTransport(platform)) as client:
            await _beat_until(stop, client, again, 0.01, argparse.Namespace(issue_chance=0.0, fault_chance=0.0))

    asyncio.run(beat())
    assert [path for path, _ in sent] == ["/api/sync/events", "/api/sync/heartbeat"]
    assert sent[0][1] == station.pending  # the very event kept, seq 5
    assert (again.seq, again.serial, again.pending) == (5, 5, None)
    saved = json.loads((tmp_path / "qs" / "state.json").read_text(encoding="utf-8"))
    assert saved == {"seq": 5, "serial": 5, "pending": None}


def test_a_refused_send_keeps_the_event_for_the_next_beat(tmp_path: Path) -> None:
    station = _station(tmp_path / "qs")
    stop = asyncio.Event()

    def platform(request: httpx.Request) -> httpx.Response:
        stop.set()
        return httpx.Response(503)

    async def beat() -> None:
        async with httpx.AsyncClient(base_url="http://platform", transport=httpx.MockTransport(platform)) as client:
            await _beat_until(stop, client, station, 0.01, argparse.Namespace(issue_chance=1.0, fault_chance=0.0))

    asyncio.run(beat())
    assert station.seq == 0 and station.pending is not None
    assert station.pending["events"][0]["seq"] == 1
    saved = json.loads((tmp_path / "qs" / "state.json").read_text(encoding="utf-8"))
    assert saved["pending"] == station.pending
