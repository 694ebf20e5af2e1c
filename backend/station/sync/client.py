"""The station's HTTP client for the platform: every request signed with its enrolment key."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
from pydantic import BaseModel

from backend.shared.protocol import (
    BatchAck,
    ChangesPage,
    EventBatch,
    Heartbeat,
    HeartbeatAck,
    sign_request,
)
from backend.shared.tokens import Signer

SIGNING_SKEW_SECONDS = 60  # below this, requests are signed with the kiosk's own clock


class PlatformUnreachable(Exception):
    """The platform did not answer (down, network, timeout): try again later."""


class PlatformRefused(Exception):
    """The platform answered with an error; ``code`` is its machine code."""

    def __init__(self, status: int, code: str, detail: str = "") -> None:
        super().__init__(f"{status} {code} {detail}".strip())
        self.status = status
        self.code = code
        self.detail = detail


class PlatformClient:
    """Signed requests to the platform's sync endpoints."""

    def __init__(self, base_url: str, *, station_id: str, signer: Signer, timeout: float = 15.0,
                 transport: httpx.BaseTransport | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self.base_url = base_url.rstrip("/")
        self.station_id = station_id
        self._signer = signer
        self._clock = clock
        self._http = httpx.Client(timeout=timeout, transport=transport)
        # The platform's clock minus ours, from the Date header of its last answer (None before).
        self.skew_seconds: float | None = None

    def close(self) -> None:
        self._http.close()

    @contextmanager
    def open_release(self, version: str, offset: int) -> Iterator[httpx.Response]:
        """Stream a release bundle from ``offset`` (a signed GET with ``Range``), for the updater."""
        url = f"{self.base_url}/api/sync/releases/{version}"
        headers = sign_request(method="GET", url=url, headers={}, body=b"", signer=self._signer,
                               keyid=self.station_id, created=int(self._clock() + self._signing_offset()))
        if offset:
            headers["Range"] = f"bytes={offset}-"
        with httpx.Client(timeout=60) as http, http.stream("GET", url, headers=headers) as response:
            yield response

    def post_events(self, batch: EventBatch) -> BatchAck:
        """Send a batch of outbox events; return the platform's acknowledgement."""
        return BatchAck.model_validate(self._send("POST", "/api/sync/events", body=batch))

    def changes(self, after: int, limit: int) -> ChangesPage:
        """Fetch the changes for this station after a cursor."""
        params = {"after": str(after), "limit": str(limit)}
        return ChangesPage.model_validate(self._send("GET", "/api/sync/changes", params=params))

    def heartbeat(self, heartbeat: Heartbeat) -> HeartbeatAck:
        return HeartbeatAck.model_validate(self._send("POST", "/api/sync/heartbeat", body=heartbeat))

    def put_keys(self, jwks: dict[str, Any]) -> None:
        self._send("PUT", "/api/sync/keys", raw=json.dumps(jwks).encode())

    def _send(self, method: str, path: str, *, body: BaseModel | None = None,
              params: dict[str, str] | None = None, raw: bytes | None = None) -> Any:
        url = str(httpx.URL(self.base_url + path, params=params))
        content = raw if raw is not None else (body.model_dump_json().encode() if body else b"")
        headers = {"Content-Type": "application/json"} if content else {}
        headers |= sign_request(method=method, url=url, headers=headers, body=content,
                                signer=self._signer, keyid=self.station_id,
                                created=int(self._clock() + self._signing_offset()))
        sent = self._clock()
        try:
            response = self._http.request(method, url, content=content, headers=headers)
        except httpx.HTTPError as err:
            raise PlatformUnreachable(f"{method} {path}: {type(err).__name__}: {err}") from err
        self._measure_skew(response, sent)
        if response.status_code >= 500 or response.status_code in (408, 429):
            raise PlatformUnreachable(f"{method} {path}: HTTP {response.status_code}")
        if response.status_code >= 400:
            raise _refusal(response)
        return response.json()


    def _measure_skew(self, response: httpx.Response, sent: float) -> None:
        try:
            server = parsedate_to_datetime(response.headers["date"]).timestamp()
        except (KeyError, TypeError, ValueError):
            return
        self.skew_seconds = round(server - (sent + self._clock()) / 2, 1)

    def _signing_offset(self) -> float:
        # A kiosk clock far off would get every signed request refused as stale, and the station
        # could not even report it: sign with the platform's time once it is known to differ.
        skew = self.skew_seconds
        return skew if skew is not None and abs(skew) > SIGNING_SKEW_SECONDS else 0.0


def _refusal(response: httpx.Response) -> PlatformRefused:
    try:
        body = response.json()
    except ValueError:
        body = {}
    return PlatformRefused(response.status_code, str(body.get("code", "http.error")),
                           str(body.get("detail", "")))
