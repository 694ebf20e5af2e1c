"""The resident's certificate journey as a plain state machine (no Kivy).

    home → wait_card → identity → choose_type → choose_purpose → confirm → printing → done
                                                                               ↘ error

Screens only render ``flow.state`` and call the action methods; station calls go through an
injected ``Runner`` (worker threads in the app, synchronous in tests) and time through an injected
``Clock``. Inactivity clears the session: the station forgets it (DELETE) and so does the UI.
A result that arrives after the session was cleared is dropped (each session is a generation).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from .advice import Action, explain
from .clock import Clock
from .errors import INTERNAL, SESSION_ENDED, StationError
from .i18n import N_
from .models import Certificate, CertificateType, Identity, SessionInfo, StationInfo
from .runner import Runner
from .state import (
    BACK,
    CARD_PROBLEM_DEFAULT,
    CARD_PROBLEMS,
    FlowState,
    StationApi,
    Step,
    new_idempotency_key,
)

log = logging.getLogger(__name__)

SERVICE = "certificates"
DONE_SECONDS = 8.0  # the done screen goes home by itself after this long
IDLE_WARNING_SECONDS = 20.0  # the idle banner counts down for this long before clearing
KEEPALIVE_SECONDS = 20.0  # touches keep the station's session alive at most this often
POLL_SECONDS = 3.0  # while the event stream is down, ask the station about the card this often
STATION_REFRESH_SECONDS = 30.0


class CertificateFlow:
    """The journey; call the action methods from the UI thread only."""

    def __init__(self, api: StationApi, runner: Runner, clock: Clock, *,
                 idle_seconds: float | None = None, done_seconds: float = DONE_SECONDS,
                 key_factory: Callable[[], str] = new_idempotency_key) -> None:
        self.api, self.runner, self.clock = api, runner, clock
        self.state = FlowState()
        self.idle_override = idle_seconds
        self.done_seconds = done_seconds
        self._new_key = key_factory
        self._listeners: list[Callable[[], None]] = []
        self._generation = 0
        self._last_touch = clock.now()
        self._entered_at = clock.now()
        self._last_ping = clock.now()
        self._station_fetched_at: float | None = None
        self._retry: Callable[[], None] | None = None
        self._placed_sim_card = False
        self._early: dict[str, SessionInfo] = {}  # identified before our session id was known

    # ---- observing ------------------------------------------------------------------------------

    def subscribe(self, listener: Callable[[], None]) -> None:
        """Call ``listener()`` after every change of state."""
        self._listeners.append(listener)

    def _changed(self) -> None:
        for listener in list(self._listeners):
            listener()

    def _go(self, step: Step) -> None:
        if step is not self.state.step:
            log.info("step %s -> %s", self.state.step, step)
        self.state.step = step
        self._entered_at = self.clock.now()
        self._changed()

    # ---- time -----------------------------------------------------------------------------------

    @property
    def idle_seconds(self) -> float:
        if self.idle_override is not None:
            return self.idle_override
        return float(self.state.station.session_idle_seconds) if self.state.station else 90.0

    def idle_remaining(self) -> float | None:
        """Seconds until an idle session is cleared; None when no timer runs."""
        if self.state.step in (Step.HOME, Step.DONE) or self._in_flight():
            return None
        return max(0.0, self.idle_seconds - (self.clock.now() - self._last_touch))

    def idle_warning(self) -> int | None:
        """Whole seconds left while the idle warning shows, else None."""
        remaining = self.idle_remaining()
        if remaining is None or remaining > min(IDLE_WARNING_SECONDS, self.idle_seconds / 3):
            return None
        return int(remaining + 0.999)

    def done_remaining(self) -> float | None:
        if self.state.step is not Step.DONE:
            return None
        return max(0.0, self.done_seconds - (self.clock.now() - self._entered_at))

    def touch(self) -> None:
        """The resident touched the screen: restart the idle timer, keep the session alive."""
        now = self.clock.now()
        self._last_touch = now
        session_id = self.state.session_id
        if session_id and not self._in_flight() and now - self._last_ping >= KEEPALIVE_SECONDS:
            self._last_ping = now
            self._call(lambda: self.api.get_session(session_id), self._kept_alive)

    def tick(self) -> None:
        """Run the timers (call about twice a second)."""
        step, now = self.state.step, self.clock.now()
        remaining = self.done_remaining()
        if remaining is not None and remaining <= 0:
            self.finish()
        elif (idle := self.idle_remaining()) is not None and idle <= 0:
            log.info("session cleared after %.0f s without a touch", self.idle_seconds)
            self._clear_and_go_home()
        elif step is Step.WAIT_CARD and not self.state.connected and now - self._last_ping >= POLL_SECONDS:
            self._poll_identity()
        elif step is Step.HOME and self._station_stale(now):
            self.refresh_station()

    def _in_flight(self) -> bool:
        return self.state.busy is not None or self.state.step is Step.PRINTING

    def _station_stale(self, now: float) -> bool:
        fetched = self._station_fetched_at
        return fetched is None or now - fetched >= STATION_REFRESH_SECONDS

    # ---- station --------------------------------------------------------------------------------

    def refresh_station(self) -> None:
        """Fetch the station's description and services (home tiles follow it)."""
        self._station_fetched_at = self.clock.now()
        self._call(self.api.station, self._got_station, generation_bound=False)

    def _got_station(self, info: StationInfo | None, error: StationError | None) -> None:
        if error is not None:
            log.warning("station description not available: %s", error)
            self.state.station = None
        else:
            self.state.station = info
        self._changed()

    @property
    def simulated_card(self) -> bool:
        """True if the station's ID card reader is simulated (the demo button shows)."""
        station = self.state.station
        return bool(station and station.simulated.get("idcard"))

    def certificates_available(self) -> bool:
        station = self.state.station
        service = station.service(SERVICE) if station else None
        return service is not None and service.usable

    # ---- the journey ----------------------------------------------------------------------------

    def start(self) -> None:
        """Home: the resident chose Certificates. Start a session and load the types."""
        if self.state.step is not Step.HOME and self.state.step is not Step.ERROR:
            return
        self.touch()
        self.state.busy = N_("Getting ready…")
        self._retry = self.start
        self._changed()

        def call() -> tuple[SessionInfo, list[CertificateType]]:
            session = self.api.start_session(SERVICE)
            return session, self.api.certificate_types()

        self._call(call, self._started)

    def _started(self, value: tuple[SessionInfo, list[CertificateType]] | None,
                 error: StationError | None) -> None:
        self.state.busy = None
        if error is not None or value is None:
            self._fail(error)
            return
        session, types = value
        self.state.session_id, self.state.types = session.id, types
        self._last_ping = self.clock.now()
        early = self._early.pop(session.id, None) or session
        self._early.clear()
        if early.identity is not None:
            self._identified(early.identity)
        else:
            self._go(Step.WAIT_CARD)

    def simulate_card(self) -> None:
        """Demo only: place a demo resident's card on the simulated reader."""
        if self.state.step is not Step.WAIT_CARD or not self.simulated_card:
            return
        self.touch()
        self._placed_sim_card = True
        self.state.card_problem = None
        self._changed()
        self._call(lambda: self.api.simulate_card("1"), self._card_simulated)

    def _card_simulated(self, _value: Any, error: StationError | None) -> None:
        if error is not None:  # demo only: say so where the resident looks, keep waiting
            log.warning("simulated card not placed: %s", error)
            self._placed_sim_card = False
            self.state.card_problem = N_("The simulated card reader did not respond. Please try again.")
            self._changed()

    def confirm_identity(self) -> None:
        """The resident confirms the details read from the card are theirs."""
        if self.state.step is Step.IDENTITY:
            self.touch()
            self._go(Step.CHOOSE_TYPE)

    def choose_type(self, code: str) -> None:
        """Pick a certificate type (only types this kiosk can issue are accepted)."""
        if self.state.step is not Step.CHOOSE_TYPE:
            return
        kind = next((t for t in self.state.types if t.code == code), None)
        if kind is None or not kind.kiosk_ready:
            return
        self.touch()
        self.state.cert_type, self.state.purpose = kind, None
        self.state.idempotency_key = None
        self._go(Step.CHOOSE_PURPOSE)

    def choose_purpose(self, code: str) -> None:
        """Pick what the certificate is for."""
        kind = self.state.cert_type
        if self.state.step is not Step.CHOOSE_PURPOSE or kind is None or kind.purpose(code) is None:
            return
        self.touch()
        if code != self.state.purpose:
            self.state.idempotency_key = None  # a different request needs a different key
        self.state.purpose = code
        self._go(Step.CONFIRM)

    def confirm(self) -> None:
        """The resident confirms the preview: issue the certificate and print it."""
        if self.state.step is not Step.CONFIRM or self.state.busy:
            return
        self.touch()
        if self.state.idempotency_key is None:
            self.state.idempotency_key = self._new_key()
        self._issue_and_print()

    def _issue_and_print(self) -> None:
        state = self.state
        session_id, kind, purpose = state.session_id, state.cert_type, state.purpose
        key = state.idempotency_key
        if session_id is None or kind is None or purpose is None or key is None:
            return
        self._retry = self._issue_and_print
        state.problem, state.certificate = None, None
        self._go(Step.PRINTING)
        self._call(lambda: self.api.issue_certificate(session_id=session_id, type_code=kind.code,
                                                      purpose=purpose, idempotency_key=key),
                   self._issued)

    def _issued(self, certificate: Certificate | None, error: StationError | None) -> None:
        if error is not None or certificate is None:
            self._fail(error)
            return
        self.state.certificate = certificate
        if certificate.printed:  # a retry after a lost answer: it already printed, never twice
            self._go(Step.DONE)
            return
        self._changed()
        session_id = self.state.session_id or ""
        self._call(lambda: self.api.print_certificate(certificate.id, session_id=session_id),
                   self._printed)

    def _printed(self, certificate: Certificate | None, error: StationError | None) -> None:
        if error is not None or certificate is None:
            self._fail(error)
            return
        self.state.certificate = certificate
        self._retry = None
        self._go(Step.DONE)

    @property
    def printing_phase(self) -> str:
        """msgid: what the printing screen is waiting for right now."""
        if self.state.certificate is None:
            return N_("Preparing your certificate…")
        return N_("Printing your certificate…")

    # ---- leaving --------------------------------------------------------------------------------

    def back(self) -> None:
        """Go one step back; from the first steps, back means cancel and go home."""
        step = self.state.step
        if step is Step.PRINTING:
            return
        self.touch()
        if step in BACK:
            self._go(BACK[step])
        elif step is Step.ERROR and self.state.problem and Action.CHOOSE_TYPE in self.state.problem.actions:
            self.choose_again()
        else:
            self.home()

    def choose_again(self) -> None:
        """After a refusal, choose another certificate type."""
        if self.state.session_id is None or self.state.identity is None:
            self.home()
            return
        self.touch()
        self.state.problem, self.state.cert_type, self.state.purpose = None, None, None
        self.state.idempotency_key, self.state.certificate = None, None
        self._go(Step.CHOOSE_TYPE)

    def retry(self) -> None:
        """Try the failed operation again (same idempotency key, so never a second certificate)."""
        retry = self._retry
        if self.state.step is not Step.ERROR or retry is None:
            return
        self.touch()
        self.state.problem = None
        retry()

    def act(self, action: Action) -> None:
        """Do what an error screen's button says."""
        {Action.RETRY: self.retry, Action.CHOOSE_TYPE: self.choose_again, Action.HOME: self.home}[action]()

    def home(self) -> None:
        """Cancel: end the session and go home (not while a print is under way)."""
        if self.state.step is Step.PRINTING:
            return
        self._clear_and_go_home()

    def finish(self) -> None:
        """Done: end the session and go home."""
        self._clear_and_go_home()

    def _clear_and_go_home(self) -> None:
        session_id = self.state.session_id
        self._generation += 1  # results of calls made for this session are now dropped
        self.state.clear_personal()
        self._retry = None
        self._early.clear()
        if session_id is not None:
            self._call(lambda: self.api.end_session(session_id), _ignore, generation_bound=False)
        self._take_sim_card_back()
        self._go(Step.HOME)
        self.refresh_station()

    def _take_sim_card_back(self) -> None:
        if self._placed_sim_card:
            self._placed_sim_card = False
            self._call(self.api.remove_simulated_card, _ignore, generation_bound=False)

    # ---- events from the station ----------------------------------------------------------------

    def on_connection(self, connected: bool) -> None:
        """The event stream came up or went down."""
        self.state.connected = connected
        if connected:
            self.refresh_station()
        self._changed()

    def on_event(self, event: dict[str, Any]) -> None:
        """Handle one event from /ws/events."""
        kind, data = event.get("type"), event.get("data") or {}
        if kind == "session.identified":
            self._on_identified(data)
        elif kind == "session.ended":
            self._on_session_ended(data)
        elif kind == "card.read" and self.state.step is Step.WAIT_CARD:
            self.state.reading_card, self.state.card_problem = True, None
            self._changed()
        elif kind == "card.rejected" and self.state.step is Step.WAIT_CARD:
            self._on_card_rejected(str(data.get("reason", "")))
        elif kind in ("component.status", "service.state", "hello") and self.state.step is Step.HOME:
            self.refresh_station()

    def _on_identified(self, data: dict[str, Any]) -> None:
        try:
            session = SessionInfo.parse(data)
        except StationError:
            log.warning("ignored a session.identified event without a usable session")
            return
        if session.identity is None:
            return
        if self.state.session_id is None and self.state.busy:
            self._early[session.id] = session
        elif session.id == self.state.session_id and self.state.step is Step.WAIT_CARD:
            self._identified(session.identity)

    def _identified(self, identity: Identity) -> None:
        self.touch()
        self.state.identity = identity
        self.state.reading_card, self.state.card_problem = False, None
        self._take_sim_card_back()  # so the next resident's demo card is read afresh
        self._go(Step.IDENTITY)

    def _on_card_rejected(self, reason: str) -> None:
        self.state.reading_card = False
        self.state.card_problem = CARD_PROBLEMS.get(reason, CARD_PROBLEM_DEFAULT)
        self._take_sim_card_back()
        self._changed()

    def _on_session_ended(self, data: dict[str, Any]) -> None:
        if data.get("id") != self.state.session_id or self.state.step in (Step.HOME, Step.DONE):
            return
        self._end_with(StationError.local(SESSION_ENDED, detail=str(data.get("reason", ""))))

    def _kept_alive(self, _session: Any, error: StationError | None) -> None:
        if error is not None and error.code.startswith("session."):
            self._end_with(error)

    def _poll_identity(self) -> None:
        session_id = self.state.session_id
        if session_id is None:
            return
        self._last_ping = self.clock.now()
        self._call(lambda: self.api.get_session(session_id), self._polled)

    def _polled(self, session: SessionInfo | None, error: StationError | None) -> None:
        if error is not None:
            self._kept_alive(None, error)
        elif session is not None and session.identity is not None and self.state.step is Step.WAIT_CARD:
            self._identified(session.identity)

    # ---- failures -------------------------------------------------------------------------------

    def _fail(self, error: StationError | None) -> None:
        error = error or StationError.local(INTERNAL)
        log.warning("step %s failed: %s", self.state.step, error)
        self.state.busy = None
        if error.code.startswith("session."):
            self._retry = None
        self.state.problem = explain(error, can_retry=self._retry is not None)
        self._go(Step.ERROR)

    def _end_with(self, error: StationError) -> None:
        """The station ended the session: forget everything, say so, offer only home."""
        self._generation += 1
        self.state.clear_personal()
        self._retry = None
        self._take_sim_card_back()
        self.state.problem = explain(error, can_retry=False)
        self._go(Step.ERROR)

    # ---- plumbing -------------------------------------------------------------------------------

    def _call(self, call: Callable[[], Any], done: Callable[[Any, StationError | None], None], *,
              generation_bound: bool = True) -> None:
        generation = self._generation

        def deliver(value: Any, error: StationError | None) -> None:
            if generation_bound and generation != self._generation:
                _forget_stale(self.api, self.runner, value)
                return
            done(value, error)

        self.runner.submit(call, deliver)

    def snapshot(self) -> dict[str, Any]:
        """The state for the test-automation hook: no names, no ID numbers."""
        state = self.state
        return {
            "step": state.step.value, "busy": state.busy, "connected": state.connected,
            "has_session": state.session_id is not None, "identified": state.identity is not None,
            "type_code": state.cert_type.code if state.cert_type else None, "purpose": state.purpose,
            "serial": state.certificate.serial if state.certificate else None,
            "certificate_state": state.certificate.state if state.certificate else None,
            "problem": state.problem.code if state.problem else None,
            "idle_remaining": self.idle_remaining(), "done_remaining": self.done_remaining(),
        }


def _ignore(_value: Any, error: StationError | None) -> None:
    if error is not None:
        log.info("ignored: %s", error)


def _forget_stale(api: StationApi, runner: Runner, value: Any) -> None:
    # A session started for a visit that was cancelled meanwhile must not linger on the station.
    if isinstance(value, tuple) and value and isinstance(value[0], SessionInfo):
        session_id = value[0].id
        runner.submit(lambda: api.end_session(session_id), _ignore)
