"""The resident's visit as a plain state machine (no Kivy): which screen shows; its ``timers`` and
the station's ``events``; the journeys (``kiosk.journeys``), each given this flow as ``JourneyHost``;
which journey a touch, Back or typed text goes to (``routes``).

    attract ⇄ home → a service's steps → (done) → [rate] → [take your card] → thanks → home
                                                                 (idle at home → attract)

Screens only render ``flow.state`` and call the action methods; station calls go through an
injected ``Runner`` (worker threads in the app, synchronous in tests) and time through an injected
``Clock``. Inactivity clears the visit: the station forgets the session (DELETE) and so does the
UI, dialogs and keyboards included. A result that arrives after the visit was cleared is dropped
(each visit is a generation). 长辈模式 (elderly mode) and mute last for the visit only.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from ..advice import Action, explain
from ..client import StationApi
from ..clock import Clock
from ..dialogs import CANCEL_VISIT, CLOSE, END_VISIT, Dialog, Entry, EntryKind, bilingual
from ..errors import INTERNAL, StationError
from ..i18n import N_
from ..journeys.accounts import AccountsJourney
from ..journeys.activities import ActivitiesJourney
from ..journeys.certificates import CertificateJourney
from ..journeys.council import CouncilJourney
from ..journeys.emergency import EmergencyJourney
from ..journeys.identification import Identification
from ..journeys.maintenance import MaintenanceJourney
from ..journeys.neighbours import NeighbourGroupJourney
from ..journeys.organisations import OrganisationsJourney
from ..journeys.phone_copy import PhoneCopy
from ..journeys.pickup import PickupJourney
from ..journeys.progress import ProgressJourney
from ..journeys.rating import RatingJourney, rating_target
from ..journeys.service_requests import RequestJourney
from ..journeys.verify import VerifyJourney
from ..journeys.volunteers import VolunteerJourney
from ..localclock import station_now
from ..records import SessionInfo
from ..runner import Runner
from ..state import FlowState, RatingTarget, Step, new_idempotency_key
from . import routes
from .events import StationEvents
from .timers import DONE_SECONDS, VisitTimers

log = logging.getLogger(__name__)


class KioskFlow:
    """The visit; call the action methods from the UI thread only."""

    def __init__(self, api: StationApi, runner: Runner, clock: Clock, *,
                 idle_seconds: float | None = None, done_seconds: float = DONE_SECONDS,
                 key_factory: Callable[[], str] = new_idempotency_key,
                 today: Callable[[], dt.date] | None = None) -> None:
        self.api, self.runner, self.clock = api, runner, clock
        self.state = FlowState()
        self.today = today or self._station_today
        self._new_key = key_factory
        self._listeners: list[Callable[[], None]] = []
        self._generation = 0
        self._retry: Callable[[], None] | None = None
        self.timers = VisitTimers(self, idle_seconds=idle_seconds, done_seconds=done_seconds)
        self.events = StationEvents(self)
        self.identification = Identification(self, pinged=self.timers.pinged,
                                             session_lost=self.timers.kept_alive)
        self.phone_copy = PhoneCopy(self)
        self.certificates = CertificateJourney(self, self.phone_copy)
        self.verify = VerifyJourney(self)
        self.requests = RequestJourney(self)
        self.progress = ProgressJourney(self)
        self.rating = RatingJourney(self)
        self.pickup = PickupJourney(self)
        self.maintenance = MaintenanceJourney(self)
        self.volunteers = VolunteerJourney(self)
        self.emergency = EmergencyJourney(self)
        self.neighbours = NeighbourGroupJourney(self)
        self.activities = ActivitiesJourney(self)
        self.accounts = AccountsJourney(self)
        self.organisations = OrganisationsJourney(self)
        self.council = CouncilJourney(self)

    def _station_today(self) -> dt.date:
        """Today in the district (the station's zone), not on the machine's calendar."""
        station = self.state.station
        return station_now(station.timezone if station else None).date()

    # ---- observing ------------------------------------------------------------------------------

    def subscribe(self, listener: Callable[[], None]) -> None:
        """Call ``listener()`` after every change of state."""
        self._listeners.append(listener)

    def changed(self) -> None:
        """Tell the listeners the state changed."""
        for listener in list(self._listeners):
            listener()

    def go(self, step: Step) -> None:
        """Show ``step``'s screen."""
        if step is not self.state.step:
            log.info("step %s -> %s", self.state.step, step)
        self.state.step = step
        self.timers.entered_at = self.clock.now()
        self.changed()

    # ---- time and the station (``timers``; the station's events: ``flow.events.on_event``) -----

    def touch(self) -> None:
        """The resident touched the screen: restart the idle timer, keep the session alive."""
        self.timers.touched()

    def tick(self) -> None:
        """Run the timers (call about twice a second)."""
        self.timers.tick()

    def refresh_station(self) -> None:
        self.events.refresh_station()  # the station's description and services (home tiles)

    # ---- the visit ------------------------------------------------------------------------------

    def wake(self) -> None:
        """The attract screen was touched (or a card placed): show home."""
        if self.state.step is Step.ATTRACT:
            self.touch()
            self.go(Step.HOME)

    def attract(self) -> None:
        """Nobody is here: forget the visit and show the attract screen."""
        self._end_visit(Step.ATTRACT)

    def choose_service(self, code: str) -> None:
        """A home tile was touched: start its service, or explain why it cannot be used now."""
        if self.state.step is not Step.HOME or self.state.busy:
            return
        self.touch()
        routes.start_service(self, code)

    def open_community(self) -> None:
        """Home's 社区生活: the community's own services, one button each."""
        if self.state.step is Step.HOME and not self.state.busy:
            self.touch()
            self.go(Step.COMMUNITY)

    def back(self) -> None:
        """Go one step back; from the first steps, back means cancel and go home."""
        step = self.state.step
        if step is Step.PRINTING:
            return
        self.touch()
        routes.go_back(self)

    def begin(self, service: str, load: Callable[[], Any], loaded: Callable[[Any], None]) -> None:
        self.identification.begin(service, load, loaded)

    def await_identity(self) -> None:
        self.identification.await_identity()

    def after_identity(self) -> None:
        """The resident confirmed who they are: the service's own next step (certificates: the type)."""
        routes.after_identity(self)

    def request_home(self) -> None:
        """The Home button: ask first if leaving would lose the resident's details."""
        if self.state.step is Step.PRINTING:
            return
        self.touch()
        if self.state.identity is None and self.state.entry is None:
            self.home()
            return
        self.state.dialog = Dialog(
            CANCEL_VISIT, bilingual(N_("End this visit?")),
            (bilingual(N_("Your details will be cleared from the screen.")),),
            ((CLOSE, bilingual(N_("No, continue"))), (END_VISIT, bilingual(N_("Yes, end it")))))
        self.changed()

    def dialog_action(self, action: str) -> None:
        """A dialog's button was touched."""
        if self.state.dialog is None:
            return
        self.touch()
        self.state.dialog = None
        if action == END_VISIT:
            self.home()
        else:
            self.changed()

    def home(self) -> None:
        """Cancel: end the session and go home (not while a print is under way)."""
        if self.state.step is Step.PRINTING:
            return
        self._forget_session()
        self.leave_to(Step.HOME)
        self.refresh_station()

    def finish(self) -> None:
        """A service is finished: the rating screen for what was done, then the thanks."""
        state = self.state
        if state.step is Step.REQ_DONE:
            self.requests.finish()
            return
        target = rating_target(state)
        if target is not None and not state.rating.done:
            self.rating.offer(target)
        else:
            self.conclude()

    def offer_rating(self, target: RatingTarget) -> None:
        self.rating.offer(target)

    def conclude(self) -> None:
        """End the service's session and thank the resident (reminding them of their card)."""
        self._forget_session()
        self.leave_to(Step.THANKS)

    def forget_visit(self) -> None:
        """End the session and forget the resident, staying where we are (the next step decides)."""
        self._forget_session()

    def end_visit(self) -> None:
        """The resident is done (thanks screen, or idle): forget the visit, its mode too, go home."""
        self._end_visit(Step.HOME)

    def _end_visit(self, step: Step) -> None:
        self._forget_session()
        self.state.end_visit()
        self.leave_to(step)
        self.refresh_station()

    def leave_to(self, step: Step) -> None:
        """Go to ``step`` — after reminding the resident to take the ID card still on the reader
        (left there, it would identify the next person)."""
        if self.state.card_on_reader and step in (Step.HOME, Step.THANKS, Step.ATTRACT):
            self.state.after_card = step
            self.go(Step.TAKE_CARD)
        else:
            self.go(step)

    def card_taken(self) -> None:
        """The card left the reader (or the reminder gave up): on to where the visit was going."""
        if self.state.step is Step.TAKE_CARD:
            self.go(self.state.after_card)

    def _forget_session(self) -> None:
        session_id = self.state.session_id
        self._generation += 1  # results of calls made for this visit are now dropped
        self.maintenance.close()
        self.state.clear_personal()
        self._retry = None
        self.identification.forget()
        if session_id is not None:
            self.call(lambda: self.api.end_session(session_id), _ignore, generation_bound=False)
        self.identification.take_sim_card_back()

    def end_with(self, error: StationError) -> None:
        """The station ended the session: forget everything, say so, offer only home."""
        self._generation += 1
        self.state.clear_personal()
        self._retry = None
        self.identification.take_sim_card_back()
        self.state.problem = explain(error, can_retry=False)
        self.go(Step.ERROR)

    # ---- failing and trying again ---------------------------------------------------------------

    def new_key(self) -> str:
        return self._new_key()

    def set_retry(self, retry: Callable[[], None] | None) -> None:
        self._retry = retry

    def fail(self, error: StationError | None) -> None:
        """A step failed: the error screen, offering to try again where that can help."""
        error = error or StationError.local(INTERNAL)
        log.warning("step %s failed: %s", self.state.step, error)
        self.state.busy = None
        if error.code.startswith("session."):
            self._retry = None
        self.state.problem = explain(error, can_retry=self._retry is not None)
        self.go(Step.ERROR)

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
        {Action.RETRY: self.retry, Action.CHOOSE_TYPE: self.certificates.choose_again,
         Action.HOME: self.home}[action]()

    # ---- the visit's display choices and keyboards ----------------------------------------------

    def toggle_elderly(self) -> None:
        """长辈模式 on/off: larger text, higher contrast, fewer items, slower timers."""
        self.touch()
        self.state.elderly = not self.state.elderly
        self.changed()

    def toggle_mute(self) -> None:
        """Spoken instructions off/on."""
        self.touch()
        self.state.muted = not self.state.muted
        self.changed()

    def open_entry(self, kind: EntryKind, prompt: str, field: str, text: str = "") -> None:
        """Show an on-screen keyboard for ``field``."""
        self.touch()
        self.state.entry = Entry(kind, prompt, field, text)
        self.changed()

    def entry_changed(self, text: str) -> None:
        """The keyboard's text changed (every key touch keeps the visit alive)."""
        if self.state.entry is not None:
            self.touch()
            self.state.entry.text = text

    def close_entry(self, ok: bool = True) -> Entry | None:
        """Close the keyboard (Done or Cancel); hand what was typed to the screen that asked."""
        entry, self.state.entry = self.state.entry, None
        self.touch()
        if entry is not None and ok:
            routes.route_entry(self, entry)
        self.changed()
        return entry

    # ---- plumbing -------------------------------------------------------------------------------

    def call(self, call: Callable[[], Any], done: Callable[[Any, StationError | None], None], *,
             generation_bound: bool = True) -> None:
        """Run a station call off the UI thread; drop its result if the visit ended meanwhile."""
        generation = self._generation

        def deliver(value: Any, error: StationError | None) -> None:
            if generation_bound and generation != self._generation:
                _forget_stale(self.api, self.runner, value)
                return
            done(value, error)

        self.runner.submit(call, deliver)


def _ignore(_value: Any, error: StationError | None) -> None:
    if error is not None:
        log.info("ignored: %s", error)


def _forget_stale(api: StationApi, runner: Runner, value: Any) -> None:
    # A session started for a visit that was cancelled meanwhile must not linger on the station.
    if isinstance(value, tuple) and value and isinstance(value[0], SessionInfo):
        session_id = value[0].id
        runner.submit(lambda: api.end_session(session_id), _ignore)
