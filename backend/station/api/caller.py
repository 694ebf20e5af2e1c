"""Who may call the station's API: the kiosk's own programs, holding the token file.

At every start the station writes a new random token to ``<data dir>/station-api.token`` (mode
0600, readable by the kiosk user only). Every HTTP call and the event socket must carry
``Authorization: Bearer <token>``; a process of another user cannot read the file, so it cannot
act as the kiosk (issue a certificate for the resident at the screen, read scanned pickup codes,
take a photo). Exempt: ``GET /api/health`` (no data, for supervisors and load balancers), the
OpenAPI description, and ``/api/staff/*``, which takes the staff token instead.
"""

from __future__ import annotations

import hmac
import json
import secrets
from contextvars import ContextVar
from pathlib import Path

from starlette.types import ASGIApp, Receive, Scope, Send

from backend.shared.errors import AppError, define
from backend.shared.private_files import write_private_file

TOKEN_FILE = "station-api.token"
OPEN_PATHS = frozenset({"/api/health", "/docs", "/openapi.json", "/docs/oauth2-redirect"})
STAFF_PREFIX = "/api/staff/"
CLIENT_HEADER = b"x-kiosk-client"
# Which of the kiosk's programs is calling (its X-Kiosk-Client id, "" when it gives none): a
# resident's session belongs to the client that opened it, and only that client sees it.
CALLER: ContextVar[str] = ContextVar("station_caller", default="")
TOKEN_REQUIRED = define(
    "station.token_required", 401, "只有本机的服务站程序可以调用此接口。",
    "Only the kiosk's own programs may call the station (its API token is missing or wrong).")


def token_path(data_dir: Path) -> Path:
    return data_dir / TOKEN_FILE


def new_token(data_dir: Path) -> str:
    """Make this start's token and write it where the kiosk's programs read it."""
    token = secrets.token_urlsafe(32)
    write_private_file(token_path(data_dir), token.encode())
    return token


def read_token(data_dir: Path) -> str:
    """The token a client sends (empty when the station has not started yet)."""
    try:
        return token_path(data_dir).read_text().strip()
    except FileNotFoundError:
        return ""


class CallerAuth:
    """ASGI middleware: refuse any call without the station's API token (401, the usual body)."""

    def __init__(self, app: ASGIApp, *, token: str) -> None:
        self.app, self.token = app, token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or self._open(scope) or self._authorised(scope):
            marker = CALLER.set(client_of(scope))
            try:
                await self.app(scope, receive, send)
            finally:
                CALLER.reset(marker)
            return
        if scope["type"] == "websocket":
            await receive()  # websocket.connect
            await send({"type": "websocket.close", "code": 1008, "reason": "station API token required"})
            return
        body = json.dumps(AppError(TOKEN_REQUIRED).as_dict(), ensure_ascii=False).encode()
        await send({"type": "http.response.start", "status": 401,
                    "headers": [(b"content-type", b"application/json"),
                                (b"www-authenticate", b'Bearer realm="station"')]})
        await send({"type": "http.response.body", "body": body})

    def _open(self, scope: Scope) -> bool:
        path = str(scope.get("path", ""))
        return path in OPEN_PATHS or path.startswith(STAFF_PREFIX)

    def _authorised(self, scope: Scope) -> bool:
        for name, value in scope.get("headers", []):
            if name == b"authorization":
                scheme, _, given = value.decode("latin-1").partition(" ")
                return scheme.lower() == "bearer" and hmac.compare_digest(given.strip(), self.token)
        return False


def client_of(scope: Scope) -> str:
    """The calling client's id from its X-Kiosk-Client header (at most 64 characters)."""
    for name, value in scope.get("headers", []):
        if name == CLIENT_HEADER:
            return value.decode("latin-1").strip()[:64]
    return ""
