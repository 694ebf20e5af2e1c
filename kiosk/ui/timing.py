"""Timestamps for measuring the kiosk: process start, first frame, last touch, screen changes.
Wall-clock seconds (time.time()), so a test in another process can compare them with its own."""

from __future__ import annotations

import logging
import os
import time
from dataclasses import asdict, dataclass

log = logging.getLogger(__name__)


def process_start_time() -> float:
    """Return when this process started (from /proc), or now if that cannot be read."""
    try:
        with open("/proc/self/stat", encoding="ascii") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        started_ticks = int(fields[19])  # field 22 of stat: start time in clock ticks after boot
        with open("/proc/uptime", encoding="ascii") as fh:
            uptime = float(fh.read().split()[0])
        return time.time() - uptime + started_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return time.time()


@dataclass
class Timings:
    process_start: float
    first_frame: float | None = None
    last_touch_down: float | None = None
    last_touch_handled: float | None = None  # a touch's release went through every widget
    last_screen_change: float | None = None
    last_screen_frame: float | None = None  # the first frame drawn after the last screen change
    last_frame: float | None = None  # the latest frame drawn (e.g. after a mode switch)
    screen: str = ""

    def frame(self) -> None:
        """A frame was drawn."""
        now = time.time()
        self.last_frame = now
        if self.first_frame is None:
            self.first_frame = now
            log.info("first frame drawn %.3f s after the process started", now - self.process_start)
        if self.last_screen_change is not None and self.last_screen_frame is None:
            self.last_screen_frame = now
            if self.last_touch_down is not None and self.last_touch_down <= self.last_screen_change:
                log.info("screen %s drawn %.0f ms after the touch", self.screen,
                         (now - self.last_touch_down) * 1000)

    def touched(self) -> None:
        self.last_touch_down = time.time()

    def handled(self) -> None:
        """The widgets have handled the last touch (its release included)."""
        self.last_touch_handled = time.time()

    def screen_changed(self, name: str) -> None:
        self.screen, self.last_screen_change, self.last_screen_frame = name, time.time(), None

    def as_dict(self) -> dict[str, float | str | None]:
        return asdict(self)
