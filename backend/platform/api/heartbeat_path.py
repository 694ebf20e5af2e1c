"""The short way for the request a fleet sends most: an unchanged heartbeat.

Thousands of stations beat every 30 s and nearly every beat says nothing new. Through FastAPI
such a beat paid for routing and dependency resolution, a worker thread, an ORM session, and
five round trips (BEGIN, nonce, state, rollout offer, COMMIT). Here, an ASGI middleware inside
the body limit, it takes one worker thread and one statement on PostgreSQL, one transaction of two
on SQLite (``heartbeat.beat_if_unchanged``), and answers itself.

Only what is certainly an unchanged beat is answered here: a JSON body that parses, a signature
that checks out against the signer's key (remembered, or read once if not in memory), a body the
``Heartbeat`` model accepts, for the station that signed it, whose state row the statement touched
(same digest, online, no release to offer; with the history row if one is due) while claiming the
nonce. Anything else — a bad signature, an unknown key, a body that does not validate, a replay, a
change, a station back from offline — goes on to the FastAPI route with the body as it was read,
untouched in the database, and is answered there exactly as before.
"""

from __future__ import annotations

import json
import time
from typing import Any

from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backend.shared.protocol import Heartbeat, HeartbeatAck

from ..runtime import PlatformRuntime
from ..services import heartbeat
from .deps import _target_uri, _verify_remembered

PATH = "/api/sync/heartbeat"


class HeartbeatPath:
    """Answer unchanged heartbeats in one round trip; hand every other request on."""

    def __init__(self, app: ASGIApp, *, runtime: PlatformRuntime) -> None:
        self.app, self.runtime = app, runtime

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != PATH or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        messages, body = await _read(receive)
        # In a worker thread, as the route ran: the statement's commit waits for the disk, and the
        # event loop must not.
        answer = await run_in_threadpool(self._unchanged, scope, body)
        if answer is None:
            await self.app(scope, _replay(messages, receive), send)
            return
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-length", str(len(answer)).encode()),
                                (b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": answer})

    def _unchanged(self, scope: Scope, body: bytes) -> bytes | None:
        """The answer's body if this was an unchanged beat, now recorded; None to take the full path."""
        runtime = self.runtime
        started = time.perf_counter()
        request = Request(scope)
        if request.headers.get("content-type") != "application/json":
            return None
        try:
            beat = Heartbeat.model_validate(json.loads(body))
        except (ValueError, ValidationError, RecursionError):  # the route answers these as it does
            return None
        # An identity not in memory (a worker just started, or its entry expired) is read here:
        # sent on to the route, every station of a fleet took the full route at once.
        station = _verify_remembered(runtime, "POST", _target_uri(request, runtime.settings.public_url),
                                     dict(request.headers), body, load=True)
        if station is None or station.id != beat.station_id:
            return None
        settings = runtime.settings
        now = runtime.clock.now()
        if not heartbeat.beat_if_unchanged(
                runtime.engine, station_id=station.id, nonce=station.nonce, created=station.created,
                heartbeat=beat, now=now, offline_after=settings.offline_after_seconds,
                depth_limit=settings.outbox_alert_depth, age_limit=settings.outbox_alert_age_seconds):
            return None
        runtime.metrics.sync_seconds.labels("heartbeat").observe(time.perf_counter() - started)
        ack = HeartbeatAck(server_time=now, heartbeat_seconds=settings.heartbeat_seconds,
                           offline_after_seconds=settings.offline_after_seconds)
        return ack.model_dump_json(exclude_none=True).encode()


async def _read(receive: Receive) -> tuple[list[Message], bytes]:
    """Every message of the request's body (the body limit counts them as they come), and the body."""
    messages: list[Message] = []
    chunks: list[bytes] = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return messages, b"".join(chunks)


def _replay(messages: list[Message], receive: Receive) -> Receive:
    """A receive that gives the messages already read again, then whatever comes next."""
    pending = list(messages)

    async def replayed() -> Any:
        if pending:
            return pending.pop(0)
        return await receive()

    return replayed
