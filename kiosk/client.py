"""Talking to the station backend: a synchronous HTTP client (called from worker threads, never
from the UI thread) and a WebSocket listener thread that reconnects with backoff.

Neither imports Kivy: the app hands the listener a ``deliver`` function that moves each event
onto the Kivy thread (``Clock.schedule_once``).
"""

from __future__ import annotations

import base64
import json
import logging
import threading
from collections.abc import Callable
from typing import Any, TypeVar

import httpx
from websockets.exceptions import WebSocketException
from websockets.sync.client import connect

from .errors import BAD_RESPONSE, NETWORK_TIMEOUT, NETWORK_UNREACHABLE, StationError
from .models import Certificate, CertificateType, SessionInfo, StationInfo, VerificationResult

log = logging.getLogger(__name__)

T = TypeVar("T")

PRINT_TIMEOUT = 45.0  # a print job waits for the paper to come out


class StationClient:
    """The station's HTTP API; every failure becomes a ``StationError``."""

    def __init__(self, base_url: str, *, timeout: float = 10.0,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self._http = httpx.Client(base_url=self.base_url, timeout=timeout, transport=transport)

    def close(self) -> None:
        self._http.close()

    def station(self) -> StationInfo:
        """Describe the station and which services it offers now."""
        return _parsed(StationInfo.parse, self._request("GET", "/api/station"))

    def start_session(self, service: str) -> SessionInfo:
        """Start a resident's session for a service."""
        return _parsed(SessionInfo.parse, self._request("POST", "/api/sessions", {"service": service}))

    def get_session(self, session_id: str) -> SessionInfo:
        """Return the session (and keep it alive on the station)."""
        return _parsed(SessionInfo.parse, self._request("GET", f"/api/sessions/{session_id}"))

    def end_session(self, session_id: str) -> None:
        """End the session; the station forgets who the resident was."""
        try:
            self._request("DELETE", f"/api/sessions/{session_id}")
        except StationError as err:
            if err.code not in ("session.not_found", "session.expired"):
                raise

    def certificate_types(self) -> list[CertificateType]:
        """List the certificate types this community offers."""
        body = self._request("GET", "/api/certificate-types")
        if not isinstance(body, list):
            raise StationError.local(BAD_RESPONSE, detail="certificate types: not a list")
        return [_parsed(CertificateType.parse, item) for item in body]

    def issue_certificate(self, *, session_id: str, type_code: str, purpose: str,
                          idempotency_key: str, fields: dict[str, str] | None = None) -> Certificate:
        """Issue a certificate (idempotent: the same key returns the same certificate)."""
        body = {"session_id": session_id, "type_code": type_code, "purpose": purpose,
                "idempotency_key": idempotency_key, "fields": fields or {}}
        return _parsed(Certificate.parse, self._request("POST", "/api/certificates", body))

    def print_certificate(self, certificate_id: str, *, session_id: str) -> Certificate:
        """Print an issued certificate."""
        body = self._request("POST", f"/api/certificates/{certificate_id}/print",
                             {"session_id": session_id}, timeout=PRINT_TIMEOUT)
        return _parsed(Certificate.parse, body)

    def verify(self, token: str) -> VerificationResult:
        """Ask the station whether a scanned certificate code is genuine (offline, trust list)."""
        return _parsed(VerificationResult.parse, self._request("POST", "/api/verify", {"token": token}))

    def simulate_scan(self) -> None:
        """Demo only: have the simulated scanner scan the newest certificate the station printed.

        Needs the station's ``POST /api/sim/scanner/scan`` (sample "latest_certificate"); the
        scan then arrives as a ``code.scanned`` event like any real one."""
        self._request("POST", "/api/sim/scanner/scan", {"sample": "latest_certificate"})

    def simulate_card(self, resident: str = "1") -> None:
        """Place a demo resident's card on the simulated reader."""
        self._request("POST", "/api/sim/idcard/card", {"resident": resident})

    def remove_simulated_card(self) -> None:
        """Take the demo card off the simulated reader."""
        self._request("DELETE", "/api/sim/idcard/card")

    def send_capture(self, capture_id: str, jpeg: bytes) -> None:
        """Hand the station the screen capture it asked for."""
        self._request("POST", f"/api/ui/captures/{capture_id}",
                      {"jpeg_base64": base64.b64encode(jpeg).decode("ascii")})

    def _request(self, method: str, path: str, body: dict[str, Any] | None = None, *,
                 timeout: float | None = None) -> Any:
        extra: dict[str, Any] = {} if timeout is None else {"timeout": timeout}
        try:
            response = self._http.request(method, path, json=body, **extra)
        except httpx.TimeoutException as err:
            raise StationError.local(NETWORK_TIMEOUT, detail=f"{method} {path}") from err
        except httpx.HTTPError as err:
            raise StationError.local(NETWORK_UNREACHABLE, detail=f"{method} {path}: {err}") from err
        if response.status_code == 204:
            return None
        try:
            payload = response.json()
        except ValueError as err:
            raise StationError.local(BAD_RESPONSE, detail=f"HTTP {response.status_code}") from err
        if response.status_code >= 400:
            raise StationError.from_body(response.status_code, payload)
        return payload


def _parsed(parse: Callable[[Any], T], body: Any) -> T:
    try:
        return parse(body)
    except (KeyError, TypeError, ValueError, AttributeError) as err:
        raise StationError.local(BAD_RESPONSE, detail=f"{type(err).__name__}: {err}") from err


def events_url(base_url: str) -> str:
    """Return the WebSocket URL of the station's event stream."""
    base = base_url.rstrip("/")
    if base.startswith("https://"):
        return "wss://" + base.removeprefix("https://") + "/ws/events"
    return "ws://" + base.removeprefix("http://") + "/ws/events"


class Backoff:
    """Delays between reconnection attempts: doubling from ``initial`` up to ``maximum``."""

    def __init__(self, initial: float = 0.5, maximum: float = 10.0) -> None:
        self.initial, self.maximum = initial, maximum
        self._next = initial

    def next(self) -> float:
        delay, self._next = self._next, min(self._next * 2, self.maximum)
        return delay

    def reset(self) -> None:
        self._next = self.initial


Event = dict[str, Any]


class EventListener:
    """Listen to /ws/events on a thread; hand each event and each (dis)connection to callbacks."""

    def __init__(self, url: str, on_event: Callable[[Event], None],
                 on_connection: Callable[[bool], None], *, backoff: Backoff | None = None) -> None:
        self.url = url
        self._on_event = on_event
        self._on_connection = on_connection
        self._backoff = backoff or Backoff()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="kiosk-events", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        """Ask the thread to finish and wait for it a little."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            connected = False
            try:
                with connect(self.url, open_timeout=5, close_timeout=1) as ws:
                    connected = True
                    self._backoff.reset()
                    self._on_connection(True)
                    self._receive(ws)
            except (OSError, TimeoutError, WebSocketException) as err:
                log.info("event stream %s: %s", "lost" if connected else "not reachable", err)
            if connected:
                self._on_connection(False)
            self._stop.wait(self._backoff.next())

    def _receive(self, ws: Any) -> None:
        while not self._stop.is_set():
            try:
                raw = ws.recv(timeout=0.5)
            except TimeoutError:
                continue
            try:
                event = json.loads(raw)
            except ValueError:
                log.warning("ignored an event that is not JSON")
                continue
            if isinstance(event, dict) and isinstance(event.get("type"), str):
                self._on_event(event)
