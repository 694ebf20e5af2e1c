"""The generic webhook as a receiver sees it: exact JSON body, timestamp and HMAC signature."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import httpx
import pytest

from backend.platform.services.notify.webhook import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    AlertMessage,
    StationRef,
    send_webhook,
    verify,
)

SECRET = "channel-secret"


class _Receiver(BaseHTTPRequestHandler):
    received: ClassVar[list[tuple[dict[str, str], bytes]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((dict(self.headers.items()), body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        """Keep the test output quiet."""


@pytest.fixture
def receiver() -> Iterator[tuple[str, list[tuple[dict[str, str], bytes]]]]:
    _Receiver.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/hook", _Receiver.received
    finally:
        server.shutdown()
        server.server_close()


def _message() -> AlertMessage:
    return AlertMessage(
        id="alert-7",
        kind="offline",
        severity="critical",
        state="firing",
        station=StationRef(id="st-1", name="服务站一号", community_code="c1"),
        area_path=["d1", "s1", "c1"],
        summary_zh="服务站离线",
        summary_en="Station offline",
        started_at=datetime(2026, 12, 4, 3, 0, tzinfo=UTC),
        resolved_at=None,
        console_url="http://127.0.0.1:8480/console/alerts/7",
    )


def _post(url: str, now: int) -> None:
    async def go() -> None:
        async with httpx.AsyncClient() as client:
            await send_webhook(client, url=url, secret=SECRET, message=_message(), now=now)

    asyncio.run(go())


def test_receiver_gets_the_documented_body_and_a_valid_signature(receiver) -> None:
    url, received = receiver
    _post(url, now=1_796_000_000)
    (headers, body), = received
    assert headers[TIMESTAMP_HEADER] == "1796000000"
    assert headers[SIGNATURE_HEADER].startswith("sha256=")
    assert verify(SECRET, headers, body, now=1_796_000_010)
    assert json.loads(body) == {
        "id": "alert-7",
        "kind": "offline",
        "severity": "critical",
        "state": "firing",
        "station": {"id": "st-1", "name": "服务站一号", "community_code": "c1"},
        "area_path": ["d1", "s1", "c1"],
        "summary": {"zh": "服务站离线", "en": "Station offline"},
        "started_at": "2026-12-04T03:00:00+00:00",
        "resolved_at": None,
        "console_url": "http://127.0.0.1:8480/console/alerts/7",
    }


def test_receiver_refuses_a_replay_a_tampered_body_and_a_wrong_secret(receiver) -> None:
    url, received = receiver
    _post(url, now=1_796_000_000)
    (headers, body), = received
    assert not verify(SECRET, headers, body, now=1_796_000_000 + 3600)
    assert not verify(SECRET, headers, body.replace("离线".encode(), "在线".encode()), now=1_796_000_000)
    assert not verify("other-secret", headers, body, now=1_796_000_000)
