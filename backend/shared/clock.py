"""The clock as a dependency, so tests freeze or advance time instead of sleeping."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FrozenClock:
    """A clock that moves only when told to."""

    def __init__(self, at: datetime) -> None:
        self._at = at

    def now(self) -> datetime:
        return self._at

    def advance(self, **delta: float) -> None:
        self._at += timedelta(**delta)


class SteadyClock:
    """Wall time for judging tokens, that never goes backwards.

    When the system clock steps back (a dead RTC battery, an NTP step), time carries on from the
    last reading at the pace of the monotonic clock until the wall clock catches up; a step
    forward is taken at once. So a token issued a moment before the step is still valid a moment
    after it, and the outbox, sessions and records keep using the plain clock.
    """

    def __init__(self, clock: Clock, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._clock, self._monotonic = clock, monotonic
        self._anchor: tuple[datetime, float] | None = None
        self._lock = threading.Lock()

    def now(self) -> datetime:
        wall, ticks = self._clock.now(), self._monotonic()
        with self._lock:
            if self._anchor is not None:
                carried = self._anchor[0] + timedelta(seconds=ticks - self._anchor[1])
                if carried > wall:
                    return carried
            self._anchor = (wall, ticks)
            return wall
