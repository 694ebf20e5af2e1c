"""When a supervised part is restarted, when it is given up on, and when it counts as hung.

``RestartPolicy`` is the policy as data; ``Lifeline`` applies it to one part and takes the time
from its caller, so the whole schedule is tested with a clock the test moves. The defaults are
the station's promise: restart after 1 s, 2 s, 4 s … at most 60 s; forget the failures after
5 minutes of health; 5 restarts within 10 minutes is a crash loop (the part is put out of
service); a part proves it is alive every 10 s and three missed proofs in a row mean it hangs.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


@dataclass(frozen=True)
class RestartPolicy:
    first_delay: float = 1.0  # seconds before the first restart; doubled for each failure in a row
    max_delay: float = 60.0
    healthy_after: float = 300.0  # running this long wipes the failures in a row
    loop_restarts: int = 5  # this many restarts within ``loop_window`` is a crash loop
    loop_window: float = 600.0
    ping_every: float = 10.0  # a child proves it is alive at least this often…
    missed_pings: int = 3  # …and is killed as hung after missing this many in a row
    start_grace: float = 90.0  # time a child may take to give its first sign of life
    retry_after: float | None = 1800.0  # try an out-of-service part again after this (None: never)

    def delay(self, failures: int) -> float:
        """Seconds to wait before restarting after ``failures`` (≥ 1) failures in a row."""
        return float(min(self.first_delay * 2 ** (max(failures, 1) - 1), self.max_delay))

    @property
    def hang_after(self) -> float:
        return self.ping_every * self.missed_pings


class SupervisorSettings(BaseSettings):
    """The policy from ``KIOSK_SUPERVISOR_*`` (tests shorten it; a kiosk keeps the defaults)."""

    model_config = SettingsConfigDict(env_prefix="KIOSK_SUPERVISOR_", extra="ignore")

    first_delay: float = Field(RestartPolicy.first_delay, gt=0)
    max_delay: float = Field(RestartPolicy.max_delay, gt=0)
    healthy_after: float = Field(RestartPolicy.healthy_after, gt=0)
    loop_restarts: int = Field(RestartPolicy.loop_restarts, ge=1)
    loop_window: float = Field(RestartPolicy.loop_window, gt=0)
    ping_every: float = Field(RestartPolicy.ping_every, gt=0)
    missed_pings: int = Field(RestartPolicy.missed_pings, ge=1)
    start_grace: float = Field(RestartPolicy.start_grace, gt=0)
    retry_after: float | None = Field(RestartPolicy.retry_after, gt=0)

    def policy(self) -> RestartPolicy:
        return RestartPolicy(**self.model_dump())


@dataclass
class Lifeline:
    """One part's history under the policy: its starts, its signs of life, its failures."""

    policy: RestartPolicy
    started_at: float
    last_sign: float | None = None  # the last READY=1 / WATCHDOG=1, None since the last start
    failures: int = 0  # failures in a row (reset by ``healthy_after`` of running)
    restarts: deque[float] = field(default_factory=deque)

    def sign_of_life(self, now: float) -> None:
        self.last_sign = now

    def hung(self, now: float) -> bool:
        """Whether the part has gone silent for too long (or never spoke since its start)."""
        if self.last_sign is None:
            return now - self.started_at > self.policy.start_grace
        return now - self.last_sign > self.policy.hang_after

    def exited(self, now: float) -> float | None:
        """The part stopped (or was killed as hung): seconds until its restart, or None when it
        is in a crash loop and must be put out of service."""
        if now - self.started_at >= self.policy.healthy_after:
            self.failures = 0
        while self.restarts and now - self.restarts[0] >= self.policy.loop_window:
            self.restarts.popleft()
        if len(self.restarts) >= self.policy.loop_restarts:
            return None
        self.failures += 1
        return self.policy.delay(self.failures)

    def restarted(self, now: float) -> None:
        self.restarts.append(now)
        self.started_at, self.last_sign = now, None

    def given_another_chance(self, now: float) -> None:
        """An out-of-service part is tried again after ``retry_after``: a fresh history."""
        self.restarts.clear()
        self.failures = 0
        self.started_at, self.last_sign = now, None
