"""LiveBus: events every worker must see (fleet changes, alerts) for the staff stream.

``InProcessLiveBus`` serves one process (SQLite, the demo). ``PostgresLiveBus`` sends each event
through PostgreSQL's NOTIFY and LISTENs on a connection of its own, so an event raised by any
worker reaches the subscribers of every worker. Subscribers are asyncio queues; publishers may
be any thread.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from typing import Any, Protocol

log = logging.getLogger(__name__)
CHANNEL = "kiosk_live"
MAX_PAYLOAD = 7000  # NOTIFY allows 8000 bytes; an event larger than this is cut to its head


class LiveBus(Protocol):
    def publish(self, event: dict[str, Any]) -> None: ...
    def subscribe(self) -> asyncio.Queue[dict[str, Any]]: ...
    def unsubscribe(self, queue: asyncio.Queue[dict[str, Any]]) -> None: ...
    def start(self) -> None: ...
    def stop(self) -> None: ...


class _Fanout:
    """Hands events to the asyncio queues of this process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: set[tuple[asyncio.AbstractEventLoop, asyncio.Queue[dict[str, Any]]]] = set()

    def subscribe(self) -> asyncio.Queue[dict[str, Any]]:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize=1000)
        with self._lock:
            self._subscribers.add((asyncio.get_running_loop(), queue))
        return queue

    def unsubscribe(self, queue: asyncio.Queue[dict[str, Any]]) -> None:
        with self._lock:
            self._subscribers = {(lp, q) for lp, q in self._subscribers if q is not queue}

    def deliver(self, event: dict[str, Any]) -> None:
        with self._lock:
            subscribers = list(self._subscribers)
        for loop, queue in subscribers:
            if not loop.is_closed():
                loop.call_soon_threadsafe(_offer, queue, event)


def _offer(queue: asyncio.Queue[dict[str, Any]], event: dict[str, Any]) -> None:
    # A client that stopped reading loses old events rather than holding memory.
    if queue.full():
        queue.get_nowait()
    queue.put_nowait(event)


class InProcessLiveBus(_Fanout):
    """The live bus of a single process."""

    def publish(self, event: dict[str, Any]) -> None:
        """Deliver an event to this process's subscribers."""
        self.deliver(event)

    def start(self) -> None:
        pass

    def stop(self) -> None:
        pass


class PostgresLiveBus(_Fanout):
    """The live bus of several workers: NOTIFY to publish, one LISTEN connection per worker."""

    def __init__(self, conninfo: str) -> None:
        super().__init__()
        self._conninfo = conninfo
        self._stop = threading.Event()
        self._listening = threading.Event()
        self._thread: threading.Thread | None = None
        self._publisher: Any = None
        self._publish_lock = threading.Lock()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._listen_forever, name="livebus-listen", daemon=True)
        self._thread.start()
        self._listening.wait(10)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
        with self._publish_lock:
            if self._publisher is not None:
                self._publisher.close()
                self._publisher = None

    def publish(self, event: dict[str, Any]) -> None:
        """Send an event to every worker (this one included) through PostgreSQL."""
        payload = json.dumps(event, ensure_ascii=False, default=str)
        if len(payload.encode()) > MAX_PAYLOAD:
            payload = json.dumps({"type": event.get("type"), "truncated": True})
        import psycopg

        with self._publish_lock:
            try:
                if self._publisher is None or self._publisher.closed:
                    self._publisher = psycopg.connect(self._conninfo, autocommit=True)
                self._publisher.execute("SELECT pg_notify(%s, %s)", (CHANNEL, payload))
            except psycopg.Error:
                log.warning("live event %s not sent: PostgreSQL unreachable", event.get("type"))
                self._publisher = None

    def _listen_forever(self) -> None:
        import psycopg

        while not self._stop.is_set():
            try:
                with psycopg.connect(self._conninfo, autocommit=True) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self._listening.set()
                    while not self._stop.is_set():
                        for note in conn.notifies(timeout=0.5):
                            self._deliver_text(note.payload)
            except psycopg.Error as err:
                self._listening.set()
                log.warning("live bus listener lost PostgreSQL (%s); reconnecting", err)
                self._stop.wait(1.0)

    def _deliver_text(self, payload: str) -> None:
        try:
            self.deliver(json.loads(payload))
        except ValueError:
            log.warning("ignored a live event that is not JSON")


def live_bus_for(database_url: str) -> LiveBus:
    """Pick the bus that reaches every worker for this database."""
    if database_url.startswith("postgresql"):
        return PostgresLiveBus(database_url.replace("postgresql+psycopg://", "postgresql://", 1))
    return InProcessLiveBus()
