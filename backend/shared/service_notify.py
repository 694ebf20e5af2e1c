"""Telling the service manager we are up and alive: the sd_notify protocol, through sdnotify.

Under systemd (``Type=notify``, ``WatchdogSec=``) the station and the platform send ``READY=1``
once they serve, then ``WATCHDOG=1`` from their event loop three times per watchdog interval (so
``WatchdogSec=30`` means a ping every 10 s, and three missed in a row get the process killed): a
loop that hangs stops the pings, and systemd kills and restarts the process. Outside systemd there is
no ``NOTIFY_SOCKET`` and every call does nothing. ``kiosk up``'s supervisor hands each child a
``NOTIFY_SOCKET`` of its own, so the same code serves both.

A process without an event loop (the simulators) uses ``keep_alive``: it pings only after a
check that its serving threads still answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
from collections.abc import AsyncIterator, Callable

import sdnotify

PINGS_PER_INTERVAL = 3


def watchdog_interval() -> float | None:
    """Seconds between pings (a third of WATCHDOG_USEC), or None when nobody watches."""
    usec = os.environ.get("WATCHDOG_USEC", "")
    if not usec.isdigit() or not os.environ.get("NOTIFY_SOCKET"):
        return None
    return int(usec) / 1_000_000 / PINGS_PER_INTERVAL


@contextlib.asynccontextmanager
async def notifying(status: str) -> AsyncIterator[None]:
    """Say READY=1 (with a status line) and keep the watchdog fed while the block runs."""
    notifier = sdnotify.SystemdNotifier()
    notifier.notify(f"READY=1\nSTATUS={status}")
    interval = watchdog_interval()
    pinger = asyncio.create_task(_feed(notifier, interval)) if interval else None
    try:
        yield
    finally:
        notifier.notify("STOPPING=1")
        if pinger is not None:
            pinger.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await pinger


async def _feed(notifier: sdnotify.SystemdNotifier, interval: float) -> None:
    # A task of the event loop itself: if the loop is stuck, this never runs and systemd acts.
    while True:
        notifier.notify("WATCHDOG=1")
        await asyncio.sleep(interval)


def keep_alive(stopped: threading.Event, healthy: Callable[[], bool], status: str) -> None:
    """Say READY=1, then WATCHDOG=1 each interval in which ``healthy()`` holds, until ``stopped``
    is set (without a watchdog: just wait for it)."""
    notifier = sdnotify.SystemdNotifier()
    notifier.notify(f"READY=1\nSTATUS={status}")
    interval = watchdog_interval()
    while not stopped.wait(interval):
        if healthy():
            notifier.notify("WATCHDOG=1")
    notifier.notify("STOPPING=1")
