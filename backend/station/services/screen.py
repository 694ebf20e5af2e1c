"""Capturing the kiosk screen for staff: the station asks the kiosk UI (an event on /ws/events)
and waits a few seconds for the picture it posts back. Never while a resident is at the kiosk:
the screen may show their name, and staff have no business seeing it."""

from __future__ import annotations

import base64
import threading
import uuid
from dataclasses import dataclass, field

from backend.shared.errors import AppError
from backend.shared.screen import (
    BAD_CAPTURE,
    CAPTURE_REQUESTED,
    NO_ANSWER,
    RESIDENT_PRESENT,
    UNKNOWN_CAPTURE,
)

from ..events import EventBus, StationEvent

MAX_CAPTURE = 400 * 1024  # a downscaled JPEG is ~50 KB; this bounds what goes through the outbox
__all__ = ["BAD_CAPTURE", "RESIDENT_PRESENT", "ScreenCaptures", "encoded"]


@dataclass
class _Pending:
    done: threading.Event = field(default_factory=threading.Event)
    jpeg: bytes = b""


class ScreenCaptures:
    """Capture requests waiting for the kiosk UI's answer."""

    def __init__(self, bus: EventBus) -> None:
        self._bus = bus
        self._lock = threading.Lock()
        self._pending: dict[str, _Pending] = {}

    def capture(self, *, timeout: float) -> bytes:
        """Ask the kiosk UI for its screen; return the JPEG or raise screen.no_answer."""
        capture_id, pending = uuid.uuid4().hex, _Pending()
        with self._lock:
            self._pending[capture_id] = pending
        try:
            self._bus.publish(StationEvent(CAPTURE_REQUESTED, {"id": capture_id}))
            if not pending.done.wait(timeout):
                raise AppError(NO_ANSWER, detail=f"no answer in {timeout:.0f} s (is the kiosk UI running?)")
            return pending.jpeg
        finally:
            with self._lock:
                self._pending.pop(capture_id, None)

    def deliver(self, capture_id: str, jpeg: bytes) -> None:
        """Hand over the picture the kiosk UI took for a request."""
        if not jpeg.startswith(b"\xff\xd8") or len(jpeg) > MAX_CAPTURE:
            raise AppError(BAD_CAPTURE)
        with self._lock:
            pending = self._pending.get(capture_id)
        if pending is None:
            raise AppError(UNKNOWN_CAPTURE, detail=capture_id)
        pending.jpeg = jpeg
        pending.done.set()


def encoded(jpeg: bytes) -> str:
    return base64.b64encode(jpeg).decode("ascii")
