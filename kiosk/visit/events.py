"""The station's description (refreshed at start-up, on home and on changes) and its events
(``/ws/events``) and its stream going down and up: who was identified,
a session the station ended, the card reader (a card placed, refused, left or taken), scanned
codes (``kiosk.visit.scans`` routes them), device and service changes. The stream down for
``PAUSE_AFTER_SECONDS`` pauses the kiosk until it is back. Kivy-free."""

from __future__ import annotations

import logging
from typing import Any, Protocol

from ..errors import SESSION_ENDED, StationError
from ..journeys.emergency import EmergencyJourney
from ..records import Notice, StationInfo
from ..records.volunteers import EmergencyInfo
from ..state import Step
from .scans import ScannedVisit, route_scan

log = logging.getLogger(__name__)

# The station's event stream down this long (a restart, a hang) -> "service paused, recovering"
# over the whole screen instead of a touch that fails; a blip shorter than this shows nothing.
PAUSE_AFTER_SECONDS = 2.0
# The reader's status detail for a card that lay there before the visit began: the station does
# not let it identify this visit (backend.station.hardware.manager.CARD_LEFT).
CARD_LEFT_DETAIL = "card present, left before this visit"


class EventedVisit(ScannedVisit, Protocol):
    """What the station's events reach of the visit (beyond the journeys scans reach)."""

    emergency: EmergencyJourney

    def wake(self) -> None: ...
    def card_taken(self) -> None: ...
    def end_with(self, error: StationError) -> None: ...
    def leave_to(self, step: Step) -> None: ...


class StationEvents:
    """Hands each event to the part of the visit it concerns."""

    def __init__(self, flow: EventedVisit) -> None:
        self.flow = flow
        self.fetched_at: float | None = None  # when the station last described itself
        self.emergency_at: float | None = None  # when emergency mode was last asked for
        self._lost_at: float | None = None  # when the station's event stream went (None: up)
        self._ever_ticked = False
        self._station_seen = False  # the station described itself once (start-up checks done)

    def refresh_station(self) -> None:
        """Fetch the station's description and services (home tiles follow it)."""
        self.fetched_at = self.flow.clock.now()
        self.flow.call(self.flow.api.station, self._got_station, generation_bound=False)
        self.flow.call(self.flow.api.notices, self._got_notices, generation_bound=False)
        self.refresh_emergency()

    def refresh_emergency(self) -> None:
        """Fetch emergency mode (every screen's banner follows it, so it is polled on every step)."""
        self.emergency_at = self.flow.clock.now()
        self.flow.call(self.flow.api.emergency, self._got_emergency, generation_bound=False)

    def _got_emergency(self, info: EmergencyInfo | None, error: StationError | None) -> None:
        if error is None and info is not None:  # offline: keep what we knew
            self.flow.state.emergency = info
            self.flow.emergency.fetch_images()  # the notices' pictures, from the station
            self.flow.changed()

    def _got_notices(self, notices: list[Notice] | None, error: StationError | None) -> None:
        if error is None and notices is not None:  # offline: keep the ones we had
            self.flow.state.notices = tuple(notices)
            self.flow.changed()

    def _got_station(self, info: StationInfo | None, error: StationError | None) -> None:
        if error is not None or info is None:
            log.warning("station description not available: %s", error)
            self.flow.state.station = None
            self.flow.changed()
            return
        self.flow.state.station = info
        if not self._station_seen:  # start-up: later, the reader's events say where the card is
            self._station_seen = True
            self.flow.state.card_on_reader = info.card_present
            step = self.flow.state.step
            if info.card_present and step in (Step.ATTRACT, Step.HOME) and not self.flow.state.session_id:
                self.flow.leave_to(step)  # a card left on the reader before the kiosk started
        self.flow.changed()

    def on_connection(self, connected: bool) -> None:
        """The event stream came up or went down."""
        flow = self.flow
        flow.state.connected = connected
        if connected:
            self._lost_at, flow.state.paused = None, False
            self.refresh_station()
        elif self._lost_at is None:
            self._lost_at = flow.clock.now()
        flow.changed()

    def check_station_away(self, now: float) -> None:
        """Pause the kiosk while the station has been away for PAUSE_AFTER_SECONDS (it carries on,
        without a restart, as soon as the event stream is back)."""
        state = self.flow.state
        if not self._ever_ticked:  # the window is up: from now on, waiting for the station counts
            self._ever_ticked = True
            if not state.connected and self._lost_at is None:
                self._lost_at = now
        away = self._lost_at is not None and now - self._lost_at >= PAUSE_AFTER_SECONDS
        if away != state.paused:
            state.paused = away
            if away:
                log.warning("the station is away: service paused until it returns")
            self.flow.changed()

    def on_event(self, event: dict[str, Any]) -> None:
        """Handle one event from /ws/events."""
        flow = self.flow
        kind, data = event.get("type"), event.get("data") or {}
        step = flow.state.step
        if kind == "session.identified":
            flow.identification.on_identified(data)
        elif kind == "session.ended":
            self._on_session_ended(data)
        elif kind == "card.read" and step is Step.ATTRACT:
            flow.wake()  # a card placed on the reader wakes the kiosk too
        elif kind == "card.read" and step is Step.WAIT_CARD:
            flow.state.reading_card, flow.state.card_problem = True, None
            flow.changed()
        elif kind == "card.rejected" and step is Step.WAIT_CARD:
            flow.identification.on_card_rejected(str(data.get("reason", "")))
        elif kind == "code.scanned" and isinstance(data.get("text"), str):
            route_scan(flow, data["text"])
        elif kind == "code.unreadable":
            flow.verify.on_unreadable()
            flow.progress.on_unreadable()
        elif kind == "component.status" and data.get("id") == "idcard":
            self._on_reader(data)
        if kind in ("component.status", "service.state", "hello") and step in (Step.HOME, Step.ATTRACT):
            self.refresh_station()
        elif kind in ("component.status", "card.read", "card.rejected"):
            flow.maintenance.on_device_event()

    def _on_reader(self, data: dict[str, Any]) -> None:
        """Track whether a card lies on the reader (its status detail says so)."""
        state = self.flow.state
        raw = data.get("status")
        status: dict[str, Any] = raw if isinstance(raw, dict) else {}
        detail = str(status.get("detail", ""))
        left_before = state.card_left
        state.card_on_reader = detail.startswith(("card present", "card refused"))
        state.card_left = detail == CARD_LEFT_DETAIL
        if state.card_left != left_before:  # the waiting screen says so
            self.flow.changed()
        if not state.card_on_reader and state.step is Step.TAKE_CARD:
            self.flow.card_taken()

    def _on_session_ended(self, data: dict[str, Any]) -> None:
        state = self.flow.state
        if data.get("id") != state.session_id or state.step in (Step.HOME, Step.DONE):
            return
        self.flow.end_with(StationError.local(SESSION_ENDED, detail=str(data.get("reason", ""))))
