"""Who may say what: two stations syncing at once each write only their own records; a station
that lies about its identity, a replayed request and a forged one are refused."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from backend.shared.protocol import sign_request
from backend.station.sync.enrolment import enroll, request_signer
from support.platform_stack import Platform, enrolled_kiosk
from support.stack import poll


@pytest.fixture(scope="module")
def liar(platform: Platform, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """An enrolled station (keys and all) that the test drives by hand."""
    folder = tmp_path_factory.mktemp("liar")
    enroll(data_dir=folder, url=platform.url, code=platform.create_station("liar-01", "S29"))
    yield folder


def _signed(platform: Platform, liar: Path, method: str, path: str, body: Any = None, *,
            keyid: str = "liar-01", created: int | None = None) -> tuple[str, bytes, dict[str, str]]:
    url = platform.url + path
    content = json.dumps(body).encode() if body is not None else b""
    headers = {"Content-Type": "application/json"}
    headers |= sign_request(method=method, url=url, headers=headers, body=content,
                            signer=request_signer(liar / "keys"), keyid=keyid,
                            created=created if created is not None else int(time.time()))
    return url, content, headers


def _send(method: str, request: tuple[str, bytes, dict[str, str]]) -> httpx.Response:
    url, content, headers = request
    return httpx.request(method, url, content=content, headers=headers, timeout=10)


def _heartbeat(station_id: str) -> dict[str, Any]:
    return {"station_id": station_id, "sent_at": datetime.now(UTC).isoformat(), "version": "test",
            "uptime_seconds": 1, "service_state": "AVAILABLE"}


def _event(seq: int, certificate_id: str) -> dict[str, Any]:
    return {"seq": seq, "type": "certificate.printed", "aggregate_id": certificate_id,
            "payload": {"id": certificate_id, "print_count": 9}, "created_at": datetime.now(UTC).isoformat()}


def test_two_stations_sync_at_once_and_a_liar_is_refused(platform: Platform, tmp_path: Path,
                                                         liar: Path) -> None:
    with enrolled_kiosk(platform, tmp_path / "a", "pair-a", "S21") as a, \
            enrolled_kiosk(platform, tmp_path / "b", "pair-b", "S22") as b:
        a.wait_register()
        b.wait_register()
        issued: dict[str, list[dict[str, Any]]] = {}
        threads = [threading.Thread(target=lambda m=m: issued.setdefault(m.station_id, m.issue(4, m.station_id)))
                   for m in (a, b)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        for machine in (a, b):
            poll(lambda m=machine: m.outbox_depth() == 0, f"{machine.station_id} to drain")
            with platform.staff() as staff:
                registered = staff.get(f"/api/staff/stations/{machine.station_id}/certificates").json()
            assert sorted(c["id"] for c in registered) == sorted(c["id"] for c in issued[machine.station_id])
        victim = issued["pair-a"][0]["id"]

        # Signing as another station with one's own key: the signature does not hold.
        response = _send("POST", _signed(platform, liar, "POST", "/api/sync/heartbeat",
                                         _heartbeat("pair-a"), keyid="pair-a"))
        assert (response.status_code, response.json()["code"]) == (401, "sync.signature_invalid")
        # Signing as oneself but writing for another station.
        response = _send("POST", _signed(platform, liar, "POST", "/api/sync/events",
                                         {"station_id": "pair-a", "events": [_event(1, victim)]}))
        assert (response.status_code, response.json()["code"]) == (403, "sync.not_yours")
        response = _send("POST", _signed(platform, liar, "POST", "/api/sync/heartbeat", _heartbeat("pair-a")))
        assert (response.status_code, response.json()["code"]) == (403, "sync.not_yours")
        # Writing one's own stream about another station's certificate: kept, but refused.
        seq = platform.station("liar-01")["last_applied_seq"] + 1
        response = _send("POST", _signed(platform, liar, "POST", "/api/sync/events",
                                         {"station_id": "liar-01", "events": [_event(seq, victim)]}))
        assert response.status_code == 200, response.text
        assert response.json()["rejected"] == [{"seq": seq, "reason": "certificate belongs to another station"}]
        with platform.staff() as staff:
            certificate = next(c for c in staff.get("/api/staff/stations/pair-a/certificates").json()
                               if c["id"] == victim)
        assert certificate["print_count"] == 0  # untouched


def test_a_station_reads_only_its_own_commands(platform: Platform, liar: Path) -> None:
    code = platform.create_station("other-01", "S28")  # never enrolled; only receives a command
    assert code
    with platform.staff() as staff:
        sent = staff.post("/api/staff/stations/other-01/commands", json={"kind": "diagnostics"})
        assert sent.status_code == 201, sent.text
    page = _send("GET", _signed(platform, liar, "GET", "/api/sync/changes?after=0&limit=1000")).json()
    kinds = {c["kind"] for c in page["changes"]}
    assert {"catalog", "trust", "register"} <= kinds
    assert all(c["scope"] in ("district", "community:460107002001", "station:liar-01")
               for c in page["changes"])
    assert sent.json()["id"] not in {c["key"] for c in page["changes"]}
    assert page["next_cursor"] >= max(c["cursor"] for c in page["changes"])


def test_replayed_forged_stale_and_unsigned_requests_are_refused(platform: Platform, liar: Path) -> None:
    request = _signed(platform, liar, "POST", "/api/sync/heartbeat", _heartbeat("liar-01"))
    assert _send("POST", request).status_code == 200
    replay = _send("POST", request)
    assert (replay.status_code, replay.json()["code"]) == (401, "sync.replayed")

    url, content, headers = _signed(platform, liar, "POST", "/api/sync/heartbeat", _heartbeat("liar-01"))
    forged = dict(headers, Signature=headers["Signature"][:12] + ("A" if headers["Signature"][12] != "A" else "B")
                  + headers["Signature"][13:])
    refusals = {
        "forged signature": (url, content, forged),
        "changed body": (url, content.replace(b"test", b"evil"), headers),
        "stale": _signed(platform, liar, "POST", "/api/sync/heartbeat", _heartbeat("liar-01"),
                         created=int(time.time()) - 400),
        "unknown station": _signed(platform, liar, "POST", "/api/sync/heartbeat", _heartbeat("ghost-01"),
                                   keyid="ghost-01"),
        "unsigned": (url, content, {"Content-Type": "application/json"}),
    }
    codes = {name: (r.status_code, r.json()["code"]) for name, r in
             ((name, _send("POST", req)) for name, req in refusals.items())}
    assert codes == {
        "forged signature": (401, "sync.signature_invalid"),
        "changed body": (401, "sync.signature_invalid"),
        "stale": (401, "sync.stale"),
        "unknown station": (401, "sync.unknown_station"),
        "unsigned": (401, "sync.signature_missing"),
    }
