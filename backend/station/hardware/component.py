"""A component as the station sees it: its description, its live status, its lock."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from devices.model import ComponentInfo, ComponentState, ComponentStatus, StatusCode, severity_of

from ..events import EventBus, StationEvent

log = logging.getLogger(__name__)


class Component:
    """Holds one device's status; reports changes once, logs going down and recovering once."""

    def __init__(self, info: ComponentInfo, bus: EventBus,
                 initial: ComponentStatus | None = None) -> None:
        self.info = info
        self.bus = bus
        self.lock = threading.RLock()  # one conversation with the device at a time
        self._status = initial or ComponentStatus(ComponentState.UNAVAILABLE, StatusCode.NOT_RESPONDING,
                                                  "not checked yet")
        self._busy = False
        self.last_error = ""
        self.changed_at = datetime.now(UTC)
        self._listeners: list[Callable[[Component], None]] = []

    @property
    def status(self) -> ComponentStatus:
        if self._busy and self._status.usable:
            return ComponentStatus(ComponentState.BUSY, self._status.code, self._status.detail)
        return self._status

    def on_change(self, listener: Callable[[Component], None]) -> None:
        self._listeners.append(listener)

    def report(self, status: ComponentStatus) -> None:
        """Record a status learnt from a poll or a job; publish it if it changed."""
        previous = self._status
        if status == previous:
            return
        self._status = status
        self.changed_at = datetime.now(UTC)
        if not status.usable:
            self.last_error = status.detail or status.code.value
        self._log_transition(previous, status)
        self._publish()

    def set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self._publish()

    def snapshot(self) -> dict[str, Any]:
        return {**self.info.as_dict(), "status": self.status.as_dict(),
                "last_error": self.last_error, "changed_at": self.changed_at.isoformat()}

    def _publish(self) -> None:
        status = self.status
        self.bus.publish(StationEvent("component.status", self.snapshot(), severity_of(status.code)))
        for listener in self._listeners:
            listener(self)

    def _log_transition(self, previous: ComponentStatus, current: ComponentStatus) -> None:
        if previous.usable and not current.usable:
            log.warning("%s is down: %s %s", self.info.id, current.code.value, current.detail)
        elif not previous.usable and current.usable:
            log.info("%s is back: %s", self.info.id, current.code.value)
