"""Heartbeats over HTTP, in process (SQLite and PostgreSQL): an unchanged beat is answered by the
short path (api/heartbeat_path.py) — one statement on PostgreSQL, one transaction on SQLite — with
the very answer the route gives; replays, changes, refusals and release offers are answered as the
route answers them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from backend.platform.api.routes import sync as sync_routes
from backend.platform.app import create_app
from backend.platform.clock import FrozenClock
from backend.platform.db.fleet_models import ComponentState, HeartbeatRecord, StationState
from backend.platform.runtime import PlatformRuntime
from backend.platform.services import heartbeat
from backend.platform.services.station_identities import IdentityCache
from backend.shared.protocol import Heartbeat, sign_request
from backend.shared.tokens import ExportableSigner, generate_signer

from .conftest import enrolled
from .test_rollouts import _start, _upload

URL = "http://testserver/api/sync/heartbeat"
COMPONENTS = [{"id": "printer", "kind": "receipt_printer", "state": "READY", "code": "OK", "detail": "",
               "simulated": True}]


def _beat(station_id: str = "st-01", *, uptime: float = 1.0, printer: str = "READY",
          version: str = "0.1.0") -> dict[str, Any]:
    return {"station_id": station_id, "sent_at": "2026-11-26T08:00:00Z", "version": version,
            "uptime_seconds": uptime, "service_state": "AVAILABLE", "services": [],
            "components": [COMPONENTS[0] | {"state": printer}], "paper_level": "ok", "outbox_depth": 0,
            "outbox_oldest_age_seconds": 0, "disk_free_bytes": 50_000_000_000,
            "counters": {"certificates": 3, "requests": 1, "scans": 2, "print_failures": 0}, "cursor": 20}


def _signed(runtime: PlatformRuntime, signer: ExportableSigner, body: bytes,
            keyid: str = "st-01") -> dict[str, str]:
    headers = {"content-type": "application/json"}
    return headers | sign_request(method="POST", url=URL, headers=headers, body=body, signer=signer,
                                  keyid=keyid, created=int(runtime.clock.now().timestamp()))


class _Statements:
    """Statements psycopg sends (the short path hands its statement to psycopg directly)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import psycopg

        self.count = 0
        execute = psycopg.Cursor.execute

        def counted(cursor: Any, *args: Any, **kwargs: Any) -> Any:
            self.count += 1
            return execute(cursor, *args, **kwargs)

        monkeypatch.setattr(psycopg.Cursor, "execute", counted)


class _ShortPath:
    """Beats the short path recorded (and answered) itself."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.recorded = 0
        record = heartbeat.beat_if_unchanged

        def counted(*args: Any, **kwargs: Any) -> bool:
            done = record(*args, **kwargs)
            self.recorded += done
            return done

        monkeypatch.setattr(heartbeat, "beat_if_unchanged", counted)


def _station(runtime: PlatformRuntime) -> tuple[TestClient, ExportableSigner]:
    signer = generate_signer()
    enrolled(runtime, signer=signer)
    return TestClient(create_app(runtime=runtime)), signer


def _post(client: TestClient, runtime: PlatformRuntime, signer: ExportableSigner, beat: dict[str, Any],
          keyid: str = "st-01") -> Any:
    body = json.dumps(beat).encode()
    return client.post(URL, content=body, headers=_signed(runtime, signer, body, keyid))


def _postgres(runtime: PlatformRuntime) -> bool:
    return runtime.engine.dialect.name == "postgresql"


def test_an_unchanged_beat_is_one_statement_with_the_routes_answer(runtime: PlatformRuntime,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    client, signer = _station(runtime)
    first = _post(client, runtime, signer, _beat())  # records the state in full: the route
    statements, short = _Statements(monkeypatch), _ShortPath(monkeypatch)
    second = _post(client, runtime, signer, _beat(uptime=31.0))
    assert short.recorded == 1
    assert first.status_code == second.status_code == 200
    assert second.content == first.content  # the same clock, the same bytes
    assert second.headers["content-type"] == first.headers["content-type"] == "application/json"
    assert set(first.json()) == {"server_time", "heartbeat_seconds", "offline_after_seconds"}
    if _postgres(runtime):
        assert statements.count == 1
    with runtime.db() as session:
        assert session.get(StationState, "st-01").uptime_seconds == 31.0  # type: ignore[union-attr]


def test_a_replayed_unchanged_beat_is_refused(runtime: PlatformRuntime, monkeypatch: pytest.MonkeyPatch) -> None:
    client, signer = _station(runtime)
    assert _post(client, runtime, signer, _beat()).status_code == 200
    body = json.dumps(_beat(uptime=31.0)).encode()
    headers = _signed(runtime, signer, body)
    assert client.post(URL, content=body, headers=headers).status_code == 200
    short = _ShortPath(monkeypatch)
    replayed = client.post(URL, content=body, headers=headers)
    assert (replayed.status_code, replayed.json()["code"]) == (401, "sync.replayed")
    assert short.recorded == 0  # the used nonce: nothing written, the route refused it


def test_a_changed_beat_records_the_change(runtime: PlatformRuntime) -> None:
    client, signer = _station(runtime)
    assert _post(client, runtime, signer, _beat()).status_code == 200
    assert _post(client, runtime, signer, _beat(printer="FAULT", uptime=31.0)).status_code == 200
    with runtime.db() as session:
        printer = session.scalars(select(ComponentState).where(ComponentState.station_id == "st-01")).one()
    assert printer.state == "FAULT"


def test_refusals_are_the_routes(runtime: PlatformRuntime) -> None:
    client, signer = _station(runtime)
    assert _post(client, runtime, signer, _beat()).status_code == 200
    forged = _post(client, runtime, generate_signer(), _beat(uptime=31.0))
    assert (forged.status_code, forged.json()["code"]) == (401, "sync.signature_invalid")
    enrolled(runtime, "st-02", "S02")
    other = _post(client, runtime, signer, _beat("st-02", uptime=31.0))
    assert (other.status_code, other.json()["code"]) == (403, "sync.not_yours")
    invalid = _post(client, runtime, signer, _beat(uptime=-1.0))
    assert (invalid.status_code, invalid.json()["fields"]) == (422, ["uptime_seconds"])
    body = b"{not json"
    broken = client.post(URL, content=body, headers=_signed(runtime, signer, body))
    assert broken.status_code == 422
    body = b"[" * 100_000  # too deep for json: the route's 400, not an error of the short path
    deep = client.post(URL, content=body, headers=_signed(runtime, signer, body))
    assert deep.status_code == 400


def test_a_station_in_a_rollout_is_still_offered_its_release(runtime: PlatformRuntime, tmp_path: Path) -> None:
    client, signer = _station(runtime)
    version = _upload(runtime, tmp_path)
    assert _post(client, runtime, signer, _beat(version="1.0.0")).status_code == 200
    _start(runtime, version, canary_percent=100)
    offered = _post(client, runtime, signer, _beat(version="1.0.0", uptime=31.0))
    assert offered.status_code == 200 and offered.json()["update"]["version"] == version


def _history(runtime: PlatformRuntime) -> list[dict[str, Any]]:
    with runtime.db() as session:
        rows = session.scalars(select(HeartbeatRecord).where(HeartbeatRecord.station_id == "st-01")
                               .order_by(HeartbeatRecord.id)).all()
        return [dict(row.payload) for row in rows]


def test_an_unchanged_beat_with_history_due_writes_its_history_row(runtime: PlatformRuntime,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    client, signer = _station(runtime)
    assert _post(client, runtime, signer, _beat()).status_code == 200
    monkeypatch.setattr(sync_routes.heartbeat, "record_heartbeat", _not_called)  # the short path writes it
    assert _post(client, runtime, signer, _beat(uptime=31.0)).status_code == 200  # history recent: none
    assert isinstance(runtime.clock, FrozenClock)
    for n in range(1, 23):  # every 30 s: online all along, history due after ten minutes
        runtime.clock.advance(seconds=30)
        assert _post(client, runtime, signer, _beat(uptime=30.0 * n)).status_code == 200
    history = _history(runtime)
    assert [h["uptime_seconds"] for h in history] == [1.0, 630.0]  # the first beat's, then the due one
    assert history[1] == Heartbeat.model_validate(_beat(uptime=630.0)).model_dump(mode="json")
    with runtime.db() as session:
        state = session.get(StationState, "st-01")
        assert state is not None and state.uptime_seconds == 660.0


def test_a_station_not_in_memory_is_answered_without_the_route(runtime: PlatformRuntime,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    client, signer = _station(runtime)
    assert _post(client, runtime, signer, _beat()).status_code == 200
    runtime.identities = IdentityCache(runtime.db)  # a worker that has not heard the station yet
    monkeypatch.setattr(sync_routes.heartbeat, "record_heartbeat", _not_called)  # the short path answers
    assert _post(client, runtime, signer, _beat(uptime=31.0)).status_code == 200
    assert runtime.identities.peek("st-01") is not None
    forged = _post(client, runtime, generate_signer(), _beat(uptime=61.0))
    assert (forged.status_code, forged.json()["code"]) == (401, "sync.signature_invalid")


def _not_called(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError("the route answered an unchanged beat")
