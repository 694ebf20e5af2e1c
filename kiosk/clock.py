"""Time for the kiosk's timers (idle timeout, the done screen's return home), injected so tests
and the automation hook advance it instead of waiting."""

from __future__ import annotations

import threading
import time
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Return seconds on a monotonic scale."""
        ...


class MonotonicClock:
    """The real monotonic clock plus an offset that ``advance`` moves forward."""

    def __init__(self) -> None:
        self._offset = 0.0
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return time.monotonic() + self._offset

    def advance(self, seconds: float) -> None:
        """Jump forward, as if ``seconds`` had passed."""
        if seconds < 0:
            raise ValueError("a clock only moves forward")
        with self._lock:
            self._offset += seconds


class FakeClock:
    """A clock that stands still until advanced (for tests)."""

    def __init__(self, start: float = 1000.0) -> None:
        self._now = start

    def now(self) -> float:
        return self._now

    def advance(self, seconds: float) -> None:
        """Move forward by ``seconds``."""
        if seconds < 0:
            raise ValueError("a clock only moves forward")
        self._now += seconds
