"""Proving that the window's event loop runs, in systemd's sd_notify protocol: READY=1 once the
app has started, then WATCHDOG=1 from Kivy's clock three times per ``WATCHDOG_USEC``. A window
whose loop hangs stops pinging, and its supervisor (``kiosk up``, or systemd with WatchdogSec=)
kills and restarts it. Without a NOTIFY_SOCKET nothing is sent."""

from __future__ import annotations

import os
from typing import Any

import sdnotify

PINGS_PER_INTERVAL = 3  # as backend/shared/service_notify.py


def ping_interval() -> float | None:
    """Seconds between pings, or None when nobody watches."""
    usec = os.environ.get("WATCHDOG_USEC", "")
    if not usec.isdigit() or not os.environ.get("NOTIFY_SOCKET"):
        return None
    return int(usec) / 1_000_000 / PINGS_PER_INTERVAL


def announce(clock: Any) -> None:
    """Say READY=1 and schedule the pings on ``clock`` (Kivy's Clock)."""
    if not os.environ.get("NOTIFY_SOCKET"):
        return
    notifier = sdnotify.SystemdNotifier()
    notifier.notify("READY=1\nSTATUS=kiosk window open")
    interval = ping_interval()
    if interval:
        notifier.notify("WATCHDOG=1")
        clock.schedule_interval(lambda _dt: notifier.notify("WATCHDOG=1"), interval)
