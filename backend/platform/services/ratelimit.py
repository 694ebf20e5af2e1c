"""A sliding-window limit on sign-in attempts, per client address and per user name.

The window lives in this process: with several workers each has its own, so an attacker spread
over them gets a few times the limit. It slows guessing and keeps floods of scrypt work away
from the database; the real guard is the failure count on the user's row, which is updated
atomically in the database (see auth.login) and locks the account whatever the worker.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

MAX_KEYS = 10_000  # beyond this many tracked keys, idle ones are forgotten first


class SlidingWindow:
    """At most ``limit`` hits per key within the last ``seconds``."""

    def __init__(self, limit: int, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.seconds, self._clock = limit, seconds, clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        """Record a hit for ``key`` unless it is over the limit; return whether it was allowed."""
        now = self._clock()
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - self.seconds:
                hits.popleft()
            if len(hits) >= self.limit:
                return False
            hits.append(now)
            if len(self._hits) > MAX_KEYS:
                self._forget_idle(now)
            return True

    def _forget_idle(self, now: float) -> None:
        for key in [k for k, hits in self._hits.items() if not hits or hits[-1] <= now - self.seconds]:
            del self._hits[key]
        while len(self._hits) > MAX_KEYS:  # all busy: drop the oldest-inserted
            del self._hits[next(iter(self._hits))]


class LoginLimiter:
    """The two windows a sign-in passes: its client address's and its user name's."""

    def __init__(self, *, per_ip: int, per_user: int, seconds: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.by_ip = SlidingWindow(per_ip, seconds, clock)
        self.by_user = SlidingWindow(per_user, seconds, clock)

    def allow(self, *, ip: str, username: str) -> bool:
        """Whether this attempt may go on (both windows count it)."""
        ip_ok = self.by_ip.allow(ip)
        return self.by_user.allow(username.casefold()) and ip_ok
