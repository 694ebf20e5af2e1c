"""The contract every scanner meets, and the duplicate filter they share."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol

from devices.model import ComponentInfo, ComponentStatus

from .events import ScannedCode

Clock = Callable[[], float]

# A resident holds a slip in front of the camera for a second or two, and a scan engine in
# continuous mode repeats a code several times a second: one read is wanted, not twenty.
DEFAULT_DUPLICATE_WINDOW = 2.0


class Scanner(Protocol):
    """A source of scanned codes: a serial scan engine, a keyboard wedge or a camera."""

    info: ComponentInfo

    def read_code(self, timeout: float) -> ScannedCode | None:
        """Return the next new code, or None if none arrived within ``timeout`` seconds."""
        ...

    def status(self) -> ComponentStatus:
        """Return the component's state after the last operation."""
        ...

    def close(self) -> None: ...


class DuplicateFilter:
    """Drop a payload seen again within ``window`` seconds of its last sighting.

    Every sighting refreshes the payload's time, so a code held in front of a camera for ten
    seconds is delivered once; it is delivered again only after being away for ``window``.
    """

    def __init__(self, window: float = DEFAULT_DUPLICATE_WINDOW, clock: Clock = time.monotonic
                 ) -> None:
        self.window = window
        self._clock = clock
        self._seen: dict[bytes, float] = {}

    def accept(self, data: bytes) -> bool:
        """Record a sighting of ``data``; return True if it is new (not a repeat)."""
        now = self._clock()
        self._forget_before(now - self.window)
        repeat = data in self._seen
        self._seen[data] = now
        return not repeat

    def reset(self) -> None:
        """Forget every payload (e.g. when a new resident session starts)."""
        self._seen.clear()

    def _forget_before(self, cutoff: float) -> None:
        for data in [d for d, seen in self._seen.items() if seen <= cutoff]:
            del self._seen[data]
