"""A ceiling on request bodies, enforced before anything reads, parses or verifies them.

An ASGI middleware, outermost, so it runs before routing, authentication and signature checks: a
request that declares a larger ``Content-Length`` is answered 413 without reading a byte of its
body; a body without one (chunked) is counted as it streams in and cut off at the limit. The
server (uvicorn) reads no further than the application asks, so an oversized body never sits in
memory. The answer is the usual error body: ``request.too_large`` with messages in zh and en.

Most routes take the default (1 MiB); the few that expect more name their own limit. A reverse
proxy in front should refuse earlier still (see docs/deploy.md: nginx ``client_max_body_size``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import AppError, define

MiB = 1024 * 1024
DEFAULT_LIMIT = 1 * MiB
REQUEST_TOO_LARGE = define("request.too_large", 413, "提交的内容过大，请缩小后重试。",
                           "The request is too large. Please send less and try again.")


@dataclass(frozen=True)
class RouteLimit:
    """A larger (or smaller) limit for the requests whose method and path match."""

    method: str
    path: str  # a regular expression matched against the whole path
    limit: int

    def matches(self, method: str, path: str) -> bool:
        return method == self.method and re.fullmatch(self.path, path) is not None


class _TooLarge(Exception):
    """The body grew past the limit while the application read it."""


class BodyLimit:
    """Refuse request bodies larger than a limit (per route where one is given) with 413."""

    def __init__(self, app: ASGIApp, *, default: int = DEFAULT_LIMIT,
                 routes: Sequence[RouteLimit] = ()) -> None:
        self.app = app
        self.default = default
        self.routes = tuple(routes)

    def limit_for(self, method: str, path: str) -> int:
        return next((r.limit for r in self.routes if r.matches(method, path)), self.default)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["method"], scope["path"])
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _refuse(send, limit)
            return
        await _Guard(limit, receive, send).run(self.app, scope)


class _Guard:
    """One request: count its body as it arrives; answer 413 in place of whatever the
    application makes of a cut-off body (FastAPI turns a failed read into a 400)."""

    def __init__(self, limit: int, receive: Receive, send: Send) -> None:
        self.limit, self._receive, self._send = limit, receive, send
        self.received = 0
        self.exceeded = False
        self.started = False  # has the application begun its answer?

    async def run(self, app: ASGIApp, scope: Scope) -> None:
        try:
            await app(scope, self.receive, self.send)
        except _TooLarge:
            pass
        except Exception:
            if not self.exceeded:
                raise
        if self.exceeded and not self.started:
            await _refuse(self._send, self.limit)

    async def receive(self) -> Message:
        if self.exceeded:  # never read past the limit, whoever asks
            raise _TooLarge
        message = await self._receive()
        if message["type"] == "http.request":
            self.received += len(message.get("body", b""))
            if self.received > self.limit:
                self.exceeded = True
                raise _TooLarge
        return message

    async def send(self, message: Message) -> None:
        if self.exceeded and not self.started:
            return  # the 413 goes out instead, once the application has given up
        if message["type"] == "http.response.start":
            self.started = True
        await self._send(message)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _refuse(send: Send, limit: int) -> None:
    body = json.dumps(AppError(REQUEST_TOO_LARGE, detail=f"at most {limit} bytes").as_dict(),
                      ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})
