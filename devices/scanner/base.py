"""The contract every scanner meets, and what they share: the read loop against a deadline, the
duplicate filter and the component's status after the last read."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Protocol

from devices.errors import DeviceError
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


class ScannerBase:
    """A scanner's reading, once: wait for codes until a deadline, drop repeats, keep the status.

    A scanner implements ``_receive`` (take what the device sends within a timeout, inside
    ``_device_io``) and ``_buffered_code`` (the next new code among what was received)."""

    info: ComponentInfo

    def __init__(self, info: ComponentInfo, *, duplicate_window: float = DEFAULT_DUPLICATE_WINDOW,
                 clock: Clock = time.monotonic) -> None:
        self.info = info
        self._duplicates = DuplicateFilter(duplicate_window, clock)
        self._status = ComponentStatus.ready()

    def read_code(self, timeout: float = 0.0) -> ScannedCode | None:
        """Return the next new code within ``timeout`` seconds, or None."""
        deadline = time.monotonic() + timeout
        code = self._buffered_code()
        while code is None:
            self._receive(max(0.0, deadline - time.monotonic()))
            code = self._buffered_code()
            if code is None and time.monotonic() >= deadline:
                return None
        return code

    def reset_duplicates(self) -> None:
        """Deliver the next read of any code again (e.g. for a new resident)."""
        self._duplicates.reset()

    def status(self) -> ComponentStatus:
        """Return the component's state after the last read."""
        return self._status

    def close(self) -> None:
        """Release the device."""

    def __enter__(self) -> ScannerBase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _receive(self, timeout: float) -> None:
        raise NotImplementedError

    def _buffered_code(self) -> ScannedCode | None:
        raise NotImplementedError

    def _is_new(self, data: bytes) -> bool:
        return self._duplicates.accept(data)

    @contextmanager
    def _device_io(self) -> Iterator[None]:
        """Record the status from one exchange with the device: ready, or unavailable and why."""
        try:
            yield
        except DeviceError as err:
            self._status = ComponentStatus.unavailable(err.status_code, str(err))
            raise
        self._status = ComponentStatus.ready()
