"""The station's event bus: device, session and service events for the kiosk UI (WebSocket),
the staff (via the platform) and monitoring. Publishers may be any thread; subscribers are
asyncio queues. A bounded history keeps the recent past for late joiners and diagnostics."""

from __future__ import annotations

import asyncio
import threading
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from devices.model import Severity


@dataclass(frozen=True)
class StationEvent:
    type: str  # "component.status", "card.read", "session.identified", "service.state", …
    data: dict[str, Any] = field(default_factory=dict)
    severity: Severity = Severity.NORMAL
    at: datetime = field(default_factory=lambda: datetime.now(UTC))
    # The client that may see it (the one that opened the session it is about); "" for every client.
    audience: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"type": self.type, "severity": self.severity.value, "at": self.at.isoformat(),
                "data": self.data}


class EventBus:
    """Fan events out to subscribers and keep the last ``history_size`` of them."""

    def __init__(self, history_size: int = 500) -> None:
        self._history: deque[StationEvent] = deque(maxlen=history_size)
        self._subscribers: set[tuple[asyncio.AbstractEventLoop, asyncio.Queue[StationEvent]]] = set()
        self._lock = threading.Lock()

    def publish(self, event: StationEvent) -> None:
        """Record an event and hand it to every subscriber; safe from any thread."""
        with self._lock:
            self._history.append(event)
            subscribers = list(self._subscribers)
        for loop, queue in subscribers:
            if not loop.is_closed():
                loop.call_soon_threadsafe(_offer, queue, event)

    def history(self, limit: int | None = None) -> list[StationEvent]:
        with self._lock:
            items = list(self._history)
        return items[-limit:] if limit else items

    def subscribe(self) -> asyncio.Queue[StationEvent]:
        """Return a queue receiving every later event (call from the event loop)."""
        queue: asyncio.Queue[StationEvent] = asyncio.Queue(maxsize=1000)
        with self._lock:
            self._subscribers.add((asyncio.get_running_loop(), queue))
        return queue

    def unsubscribe(self, queue: asyncio.Queue[StationEvent]) -> None:
        with self._lock:
            self._subscribers = {(lp, q) for lp, q in self._subscribers if q is not queue}


def _offer(queue: asyncio.Queue[StationEvent], event: StationEvent) -> None:
    # A subscriber that stopped reading loses old events rather than blocking the station.
    if queue.full():
        queue.get_nowait()
    queue.put_nowait(event)
