"""Running station calls off the UI thread and handing their outcome back to it.

The flow submits ``call`` and ``done``; a runner runs ``call`` somewhere and then ``done(value,
error)`` on the thread the flow lives on. The app's runner uses worker threads and delivers
through Kivy's clock; tests use ``ImmediateRunner`` or ``QueuedRunner`` to control the order.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol

from .errors import INTERNAL, StationError

log = logging.getLogger(__name__)

Done = Callable[[Any, StationError | None], None]


class Runner(Protocol):
    def submit(self, call: Callable[[], Any], done: Done) -> None:
        """Run ``call`` and then ``done(value, error)`` on the flow's thread."""
        ...


def outcome(call: Callable[[], Any]) -> tuple[Any, StationError | None]:
    """Run ``call``; return (value, None) or (None, the error as a StationError)."""
    try:
        return call(), None
    except StationError as err:
        return None, err
    except Exception as err:  # a bug must not leave the resident on a spinner forever
        log.exception("a station call failed unexpectedly")
        return None, StationError.local(INTERNAL, detail=type(err).__name__)


class ThreadRunner:
    """Run calls on a small thread pool; ``deliver`` moves each ``done`` onto the UI thread."""

    def __init__(self, deliver: Callable[[Callable[[], None]], None], workers: int = 4) -> None:
        self._deliver = deliver
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="kiosk-call")

    def submit(self, call: Callable[[], Any], done: Done) -> None:
        def work() -> None:
            value, error = outcome(call)
            self._deliver(lambda: done(value, error))

        self._pool.submit(work)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


class ImmediateRunner:
    """Run every call at once, on the caller's thread."""

    def submit(self, call: Callable[[], Any], done: Done) -> None:
        value, error = outcome(call)
        done(value, error)


class QueuedRunner:
    """Hold calls until ``run_next``/``run_all``: lets a test look at the waiting states."""

    def __init__(self) -> None:
        self.pending: list[tuple[Callable[[], Any], Done]] = []

    def submit(self, call: Callable[[], Any], done: Done) -> None:
        self.pending.append((call, done))

    def run_next(self) -> None:
        call, done = self.pending.pop(0)
        value, error = outcome(call)
        done(value, error)

    def run_all(self) -> None:
        while self.pending:
            self.run_next()
