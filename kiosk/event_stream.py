"""The station's event stream (``/ws/events``): a WebSocket listener thread that reconnects with
backoff and pings to notice a frozen station.

No Kivy here: the app hands the listener a ``deliver`` function that moves each event onto the
Kivy thread (``Clock.schedule_once``).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from typing import Any

from websockets.exceptions import WebSocketException
from websockets.sync.client import connect

from .client import StationToken

log = logging.getLogger(__name__)


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


# A station that hangs keeps its socket open but stops answering pings: the stream counts as lost
# after a ping goes unanswered this long, so the kiosk pauses instead of failing the next touch.
PING_SECONDS = 1.0
PING_TIMEOUT_SECONDS = 2.0
# The station is on this machine: after it comes back the kiosk reconnects within this many seconds.
RECONNECT_MAX_SECONDS = 2.0


class EventListener:
    """Listen to /ws/events on a thread; hand each event and each (dis)connection to callbacks."""

    def __init__(self, url: str, on_event: Callable[[Event], None],
                 on_connection: Callable[[bool], None], *, backoff: Backoff | None = None,
                 token: StationToken | None = None) -> None:
        self.url = url
        self._token = token or StationToken(None)
        self._on_event = on_event
        self._on_connection = on_connection
        self._backoff = backoff or Backoff(maximum=RECONNECT_MAX_SECONDS)
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
                with connect(self.url, open_timeout=5, close_timeout=1, ping_interval=PING_SECONDS,
                             ping_timeout=PING_TIMEOUT_SECONDS,
                             additional_headers=self._token.header()) as ws:
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
