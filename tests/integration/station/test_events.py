"""The station's WebSocket: the UI hears device, card and scan events as they happen."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from websockets.sync.client import ClientConnection, connect

from support.fixtures import shared_stack
from support.stack import Simulators, Station

_stack, running_station, sims, data_dir = shared_stack()


def _next(ws: ClientConnection, match: Callable[[dict[str, Any]], bool], timeout: float = 10) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        event: dict[str, Any] = json.loads(ws.recv(timeout=max(0.1, deadline - time.monotonic())))
        if match(event):
            return event
    raise AssertionError("expected event did not arrive")


def _ws(station: Station) -> ClientConnection:
    return connect(station.url.replace("http", "ws") + "/ws/events", open_timeout=10,
                   additional_headers=station.auth.header())


def test_hello_lists_every_component(running_station: Station) -> None:
    with _ws(running_station) as ws:
        hello = json.loads(ws.recv(timeout=10))
    assert hello["type"] == "hello"
    ids = {c["id"]: c for c in hello["data"]["components"]}
    assert set(ids) == {"printer", "idcard", "scanner", "camera"}
    assert all(c["simulated"] for c in ids.values())
    assert ids["printer"]["kind"] == "receipt_printer"
    assert ids["printer"]["characteristics"]["dot_width"] == 384


def test_a_serial_scan_and_a_camera_frame_reach_the_ui(running_station: Station, sims: Simulators) -> None:
    with _ws(running_station) as ws:
        sims.call("POST", "/devices/scanner/scan", {"text": "ZM1:HELLO"})
        scanned = _next(ws, lambda e: e["type"] == "code.scanned")
        assert (scanned["data"]["source"], scanned["data"]["text"]) == ("scanner", "ZM1:HELLO")
        sims.call("POST", "/devices/camera/show", {"text": "GD1:TICKET-42"})
        framed = _next(ws, lambda e: e["type"] == "code.scanned" and e["data"]["source"] == "camera")
        assert framed["data"]["text"] == "GD1:TICKET-42" and framed["data"]["symbology"] == "QR_CODE"


def test_printer_running_out_of_paper_is_an_alarm_and_refilling_clears_it(running_station: Station,
                                                                          sims: Simulators) -> None:
    with _ws(running_station) as ws:
        sims.fault("printer", "paper_out")
        down = _next(ws, lambda e: e["type"] == "component.status" and e["data"]["id"] == "printer"
                     and e["data"]["status"]["code"] == "MEDIA_EMPTY")
        assert down["severity"] == "ALARM" and down["data"]["status"]["state"] == "UNAVAILABLE"
        sims.clear("printer")
        up = _next(ws, lambda e: e["type"] == "component.status" and e["data"]["id"] == "printer"
                   and e["data"]["status"]["code"] == "OK")
        assert up["severity"] == "NORMAL"


def test_an_expired_card_is_refused_with_a_message(running_station: Station, sims: Simulators) -> None:
    with _ws(running_station) as ws:
        sims.fault("idcard", "expired_card")
        sims.insert_card("2")
        refused = _next(ws, lambda e: e["type"] == "card.rejected")
    assert refused["data"]["code"] == "idcard.expired"
    assert "过期" in refused["data"]["message"]["zh"]


def test_the_simulate_scan_button_scans_the_newest_certificate(running_station: Station, sims: Simulators) -> None:
    with running_station.client() as client:
        nothing = client.post("/api/sim/scanner/scan", json={"sample": "latest_certificate"})
        assert nothing.status_code == 409 and nothing.json()["code"] == "sim.nothing_to_scan"
        session = sims.identify(client)
        issued = client.post("/api/certificates", json={"session_id": session, "type_code": "JZZM",
                                                         "purpose": "school", "idempotency_key": "scan-sample-1"})
        assert issued.status_code == 201
        with _ws(running_station) as ws:
            assert client.post("/api/sim/scanner/scan", json={"sample": "latest_certificate"}).status_code == 200
            scanned = _next(ws, lambda e: e["type"] == "code.scanned" and e["data"]["source"] == "scanner")
        verdict = client.post("/api/verify", json={"token": scanned["data"]["text"]}).json()
        assert verdict["valid"] and verdict["claims"]["serial"] == issued.json()["serial"]


def test_no_notices_yet_is_an_empty_list(running_station: Station) -> None:
    with running_station.client() as client:
        assert client.get("/api/notices").json() == []
