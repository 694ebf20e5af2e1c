"""The visit's timers: the idle timer (and its warning), screens that move on by themselves, the
station session's keep-alive, the start-up and home refresh of the station's description, and the
card poll while the event stream is down. Elderly mode runs every timer slower. Kivy-free: the
flow's ``tick`` runs them about twice a second."""

from __future__ import annotations

import logging
from typing import Any, Protocol

from ..errors import StationError
from ..journeys.host import JourneyHost
from ..journeys.identification import Identification
from ..journeys.phone_copy import PhoneCopy
from ..state import RESTING, Step
from .events import StationEvents

log = logging.getLogger(__name__)

DONE_SECONDS = 8.0  # the done screen goes on by itself after this long
THANKS_SECONDS = 6.0  # the thank-you screen goes home after this long
RESULT_SECONDS = 60.0  # a verification result stays this long after the last touch
ATTRACT_SECONDS = 60.0  # home without a touch for this long -> the attract screen
IDLE_WARNING_SECONDS = 20.0  # the idle banner counts down for this long before clearing
ELDERLY_FACTOR = 2.0  # elderly mode: every timer runs this much slower
KEEPALIVE_SECONDS = 20.0  # the station's session is kept alive at most this often
POLL_SECONDS = 3.0  # while the event stream is down, ask the station about the card this often
STATION_REFRESH_SECONDS = 30.0
EMERGENCY_POLL_SECONDS = 30.0  # emergency mode's banner shows (or goes) on any screen within one poll
TAKE_CARD_SECONDS = 60.0  # the take-your-card reminder gives up after this long


class TimedVisit(JourneyHost, Protocol):
    """What the timers move on, clear, poll and refresh."""

    identification: Identification
    events: StationEvents
    phone_copy: PhoneCopy

    def finish(self) -> None: ...
    def end_visit(self) -> None: ...
    def attract(self) -> None: ...
    def card_taken(self) -> None: ...
    def end_with(self, error: StationError) -> None: ...
    def refresh_station(self) -> None: ...


class VisitTimers:
    """When the last touch was, when the screen changed, when the station last heard from us."""

    def __init__(self, flow: TimedVisit, *, idle_seconds: float | None, done_seconds: float) -> None:
        self.flow = flow
        self.idle_override, self.done_seconds = idle_seconds, done_seconds
        now = flow.clock.now()
        self.last_touch = self.entered_at = self.last_ping = now

    def slow(self, seconds: float) -> float:
        """Return a timer's length in the current mode (elderly mode is slower)."""
        return seconds * ELDERLY_FACTOR if self.flow.state.elderly else seconds

    @property
    def idle_seconds(self) -> float:
        if self.idle_override is not None:
            base = self.idle_override
        else:
            station = self.flow.state.station
            base = float(station.session_idle_seconds) if station else 90.0
        return self.slow(base)

    def _auto_seconds(self) -> float | None:
        """How long the current screen stays without a touch before it moves on by itself."""
        return {Step.DONE: self.done_seconds, Step.THANKS: THANKS_SECONDS,
                Step.VERIFY_RESULT: RESULT_SECONDS, Step.HOME: ATTRACT_SECONDS,
                Step.TAKE_CARD: TAKE_CARD_SECONDS}.get(self.flow.state.step)

    def auto_remaining(self) -> float | None:
        """Seconds until this screen moves on by itself (done, thanks, result, home)."""
        seconds = self._auto_seconds()
        if seconds is None:
            return None
        since = self.flow.clock.now() - max(self.entered_at, self.last_touch)
        return max(0.0, self.slow(seconds) - since)

    def done_remaining(self) -> float | None:
        return self.auto_remaining() if self.flow.state.step is Step.DONE else None

    def idle_remaining(self) -> float | None:
        """Seconds until an idle visit is cleared; None when no such timer runs."""
        step = self.flow.state.step
        if step in RESTING or step is Step.ATTRACT or self._auto_seconds() is not None or self.in_flight():
            return None
        return max(0.0, self.idle_seconds - (self.flow.clock.now() - self.last_touch))

    def idle_warning(self) -> int | None:
        """Whole seconds left while the idle warning shows, else None."""
        remaining = self.idle_remaining()
        if remaining is None or remaining > min(self.slow(IDLE_WARNING_SECONDS), self.idle_seconds / 3):
            return None
        return int(remaining + 0.999)

    def touched(self) -> None:
        """The resident touched the screen: restart the idle timer, keep the session alive."""
        self.last_touch = self.flow.clock.now()
        self.keep_alive()

    def pinged(self) -> None:
        self.last_ping = self.flow.clock.now()

    def keep_alive(self) -> None:
        flow = self.flow
        now, session_id = flow.clock.now(), flow.state.session_id
        if session_id and not self.in_flight() and now - self.last_ping >= KEEPALIVE_SECONDS:
            self.last_ping = now
            flow.call(lambda: flow.api.get_session(session_id), self.kept_alive)

    def kept_alive(self, _session: Any, error: StationError | None) -> None:
        if error is not None and error.code.startswith("session."):
            self.flow.end_with(error)

    def tick(self) -> None:
        """Run the timers."""
        flow = self.flow
        step, now = flow.state.step, flow.clock.now()
        flow.events.check_station_away(now)
        auto = self.auto_remaining()
        if auto is not None and auto <= 0:
            self._move_on()
        elif (idle := self.idle_remaining()) is not None and idle <= 0:
            log.info("visit cleared after %.0f s without a touch", self.idle_seconds)
            flow.end_visit()
        elif step is Step.WAIT_CARD and not flow.state.connected and now - self.last_ping >= POLL_SECONDS:
            flow.identification.poll()
        elif step in (Step.HOME, Step.ATTRACT) and self._station_stale(now):
            flow.refresh_station()
        elif idle is not None:
            self.keep_alive()  # the kiosk's timer rules: the station's must not run out first
        if step is Step.DONE:
            flow.phone_copy.tick()
        asked = flow.events.emergency_at
        if asked is not None and now - asked >= EMERGENCY_POLL_SECONDS:  # (first: with the station)
            flow.events.refresh_emergency()

    def _move_on(self) -> None:
        flow = self.flow
        step = flow.state.step
        if step in (Step.DONE, Step.VERIFY_RESULT):
            flow.finish()
        elif step is Step.THANKS:
            flow.end_visit()
        elif step is Step.HOME:
            flow.attract()
        elif step is Step.TAKE_CARD:
            flow.card_taken()

    def in_flight(self) -> bool:
        return self.flow.state.busy is not None or self.flow.state.step is Step.PRINTING

    def _station_stale(self, now: float) -> bool:
        fetched = self.flow.events.fetched_at
        return fetched is None or now - fetched >= STATION_REFRESH_SECONDS
