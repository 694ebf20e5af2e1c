"""The technician PIN against guessing: each wrong PIN doubles the wait before the next try
(0.5 s, 1 s, 2 s … at most 30 s), and ``lockout_after`` wrong PINs in a row lock maintenance for
``lockout_seconds``. A right PIN resets the count. Answers while waiting are 429, the PIN unread."""

from __future__ import annotations

import hmac
import threading
from collections.abc import Callable

from backend.shared.errors import AppError, define

WRONG_PIN = define("maintenance.wrong_pin", 401, "维护密码不正确。", "The maintenance PIN is not right.")
PIN_WAIT = define("maintenance.pin_wait", 429, "密码错误次数过多，请稍后再试。",
                  "Too many wrong PINs; wait a moment before trying again.")
PIN_LOCKED = define("maintenance.pin_locked", 429, "密码错误次数过多，维护功能已暂时锁定。",
                    "Too many wrong PINs; maintenance is locked for a while.")


class PinGuard:
    def __init__(self, now: Callable[[], float], *, lockout_after: int = 10, lockout_seconds: float = 900,
                 first_wait: float = 0.5, longest_wait: float = 30.0) -> None:
        self._now, self._lock = now, threading.Lock()
        self.lockout_after, self.lockout_seconds = lockout_after, lockout_seconds
        self.first_wait, self.longest_wait = first_wait, longest_wait
        self._failures, self._blocked_until = 0, 0.0

    def check(self, given: str, expected: str) -> None:
        """Let the right PIN through; raise wrong_pin, pin_wait or pin_locked otherwise."""
        with self._lock:
            now = self._now()
            if now < self._blocked_until:
                locked = self._failures >= self.lockout_after
                raise AppError(PIN_LOCKED if locked else PIN_WAIT,
                               retry_after=round(self._blocked_until - now, 1))
            if expected and hmac.compare_digest(given.encode(), expected.encode()):
                self._failures = 0
                return
            self._failures += 1
            if self._failures >= self.lockout_after:
                self._blocked_until = now + self.lockout_seconds
            else:
                wait = self.first_wait * 2 ** (self._failures - 1)
                self._blocked_until = now + min(self.longest_wait, wait)
            raise AppError(WRONG_PIN)
