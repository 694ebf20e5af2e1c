"""The station client: HTTP answers and failures become typed errors; the event listener
delivers events from a real WebSocket server on loopback and reconnects after it drops."""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from websockets.sync.server import ServerConnection, serve

from kiosk.client import StationClient
from kiosk.errors import StationError
from kiosk.event_stream import Backoff, EventListener, events_url


def client_for(handler: Callable[[httpx.Request], httpx.Response]) -> StationClient:
    return StationClient("http://station.test", transport=httpx.MockTransport(handler))


def test_an_api_error_becomes_a_typed_error_with_both_messages() -> None:
    body = {"code": "printer.media_empty", "message": {"zh": "打印机缺纸。", "en": "Out of paper."},
            "detail": "paper out", "context": {"x": 1}}
    client = client_for(lambda request: httpx.Response(503, json=body))
    with pytest.raises(StationError) as caught:
        client.print_certificate("c-1", session_id="s-1")
    err = caught.value
    assert (err.code, err.status, err.detail, err.context) == ("printer.media_empty", 503,
                                                               "paper out", {"x": 1})
    assert err.message == {"zh": "打印机缺纸。", "en": "Out of paper."}
    assert err.transient


@pytest.mark.parametrize(("raised", "code"), [
    (httpx.ConnectError("refused"), "network.unreachable"),
    (httpx.ReadTimeout("slow"), "network.timeout"),
    (httpx.RemoteProtocolError("bye"), "network.unreachable"),
])
def test_network_failures_become_local_errors_in_both_languages(raised: Exception, code: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise raised

    with pytest.raises(StationError) as caught:
        client_for(handler).station()
    assert caught.value.code == code
    assert caught.value.message["zh"] and caught.value.message["en"]
    assert caught.value.message["zh"] != caught.value.message["en"]


@pytest.mark.parametrize(("status", "content"), [
    (200, b"<html>not json</html>"),
    (500, b"Internal Server Error"),
    (200, json.dumps({"unexpected": True}).encode()),
])
def test_answers_the_kiosk_cannot_read_are_a_bad_response(status: int, content: bytes) -> None:
    client = client_for(lambda request: httpx.Response(status, content=content))
    with pytest.raises(StationError) as caught:
        client.station()
    assert caught.value.code == "network.bad_response"


def test_requests_carry_the_api_shapes() -> None:
    seen: list[tuple[str, str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content) if request.content else None
        seen.append((request.method, request.url.path, body))
        if request.method == "DELETE":
            return httpx.Response(204)
        return httpx.Response(201, json={"id": "s-1", "service": "certificates", "identity": None})

    client = client_for(handler)
    assert client.start_session("certificates").id == "s-1"
    client.end_session("s-1")
    assert seen == [("POST", "/api/sessions", {"service": "certificates"}),
                    ("DELETE", "/api/sessions/s-1", None)]


def test_ending_a_session_the_station_already_forgot_is_fine() -> None:
    body = {"code": "session.not_found", "message": {"zh": "会话已结束", "en": "ended"}}
    client_for(lambda request: httpx.Response(404, json=body)).end_session("gone")


def test_events_url_follows_the_base_url() -> None:
    assert events_url("http://127.0.0.1:8470/") == "ws://127.0.0.1:8470/ws/events"
    assert events_url("https://kiosk.example") == "wss://kiosk.example/ws/events"


def test_backoff_doubles_up_to_a_maximum_and_resets() -> None:
    backoff = Backoff(initial=0.5, maximum=3)
    assert [backoff.next() for _ in range(5)] == [0.5, 1, 2, 3, 3]
    backoff.reset()
    assert backoff.next() == 0.5


@pytest.fixture
def ws_server() -> Iterator[tuple[str, list[ServerConnection]]]:
    """A loopback WebSocket server that says hello, sends one event, then keeps the line open."""
    connections: list[ServerConnection] = []

    def handler(ws: ServerConnection) -> None:
        connections.append(ws)
        ws.send(json.dumps({"type": "hello", "data": {"components": []}}))
        ws.send(json.dumps({"type": "card.read", "severity": "NORMAL", "at": "x", "data": {}}))
        ws.send("not json")
        for _ in ws:
            pass

    with serve(handler, "127.0.0.1", 0) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        port = server.socket.getsockname()[1]
        yield f"ws://127.0.0.1:{port}/ws/events", connections
        server.shutdown()


def test_listener_delivers_events_and_reconnects(ws_server: tuple[str, list[ServerConnection]]) -> None:
    url, connections = ws_server
    got: queue.Queue[tuple[str, Any]] = queue.Queue()
    listener = EventListener(url, lambda e: got.put(("event", e["type"])),
                             lambda up: got.put(("connected", up)), backoff=Backoff(0.05, 0.1))
    listener.start()
    try:
        seen = [got.get(timeout=5) for _ in range(3)]
        assert seen == [("connected", True), ("event", "hello"), ("event", "card.read")]
        connections[0].close()  # the station restarts
        seen = [got.get(timeout=5) for _ in range(3)]
        assert seen == [("connected", False), ("connected", True), ("event", "hello")]
    finally:
        listener.stop()


def test_an_emergency_notices_picture_is_jpeg_bytes_from_the_station_only() -> None:
    jpeg = b"\xff\xd8\xff\xe0 picture"
    asked: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.path)
        return httpx.Response(200, content=jpeg if request.url.path.endswith("/0/image") else b"{}")

    client = client_for(handler)
    assert client.emergency_image("/api/emergency/areas/m1/notices/0/image") == jpeg
    for path in ("/api/emergency/areas/m1/notices/1/image", "http://elsewhere.test/x.jpg"):
        with pytest.raises(StationError) as caught:
            client.emergency_image(path)
        assert caught.value.code == "network.bad_response"
    assert asked == ["/api/emergency/areas/m1/notices/0/image", "/api/emergency/areas/m1/notices/1/image"]
