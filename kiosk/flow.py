"""The resident's visit as a plain state machine (no Kivy): which screen shows, the timers, the
station's events, and the services' journeys (certificates: ``kiosk.certificates``; verifying a
certificate: ``kiosk.verify``).

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

from .advice import Action, explain
from .availability import (
    CERTIFICATES,
    HELP,
    NOTICES,
    PROGRESS,
    REQUESTS,
    SERVICE_NAMES,
    VERIFY,
    availability,
    still_working,
)
from .certificates import CertificateSteps
from .clock import Clock
from .dialogs import CANCEL_VISIT, CLOSE, END_VISIT, UNAVAILABLE, Dialog, Entry, EntryKind, bilingual
from .errors import SESSION_ENDED, StationError
from .i18n import N_
from .localclock import station_now
from .maintenance import PIN_FIELD, MaintenanceJourney
from .models import SessionInfo, StationInfo, Text
from .pickup import SERVICE as PICKUP
from .pickup import PickupJourney
from .progress import ProgressJourney
from .rating import RatingJourney
from .records import Notice
from .requests import PHONE_FIELD, TEXT_FIELD, RequestJourney
from .runner import Runner
from .scans import route_scan
from .state import BACK, RESTING, FlowState, RatingTarget, StationApi, Step, new_idempotency_key
from .verify import VerifyJourney

log = logging.getLogger(__name__)

DONE_SECONDS = 8.0  # the done screen goes on by itself after this long
THANKS_SECONDS = 6.0  # the thank-you screen goes home after this long
RESULT_SECONDS = 60.0  # a verification result stays this long after the last touch
ATTRACT_SECONDS = 60.0  # home without a touch for this long -> the attract screen
IDLE_WARNING_SECONDS = 20.0  # the idle banner counts down for this long before clearing
# The station's event stream down this long (a restart, a hang) -> "service paused, recovering"
# over the whole screen instead of a touch that fails; a blip shorter than this shows nothing.
PAUSE_AFTER_SECONDS = 2.0
ELDERLY_FACTOR = 2.0  # elderly mode: every timer runs this much slower
KEEPALIVE_SECONDS = 20.0  # the station's session is kept alive at most this often
POLL_SECONDS = 3.0  # while the event stream is down, ask the station about the card this often
STATION_REFRESH_SECONDS = 30.0
TAKE_CARD_SECONDS = 60.0  # the take-your-card reminder gives up after this long
# The reader's status detail for a card that lay there before the visit began: the station does
# not let it identify this visit (backend.station.hardware.manager.CARD_LEFT).
CARD_LEFT_DETAIL = "card present, left before this visit"


class KioskFlow(CertificateSteps):
    """The visit; call the action methods from the UI thread only."""

    def _station_today(self) -> dt.date:
        """Today in the district (the station's zone), not on the machine's calendar."""
        station = self.state.station
        return station_now(station.timezone if station else None).date()

    def __init__(self, api: StationApi, runner: Runner, clock: Clock, *,
                 idle_seconds: float | None = None, done_seconds: float = DONE_SECONDS,
                 key_factory: Callable[[], str] = new_idempotency_key,
                 today: Callable[[], dt.date] | None = None) -> None:
        self.api, self.runner, self.clock = api, runner, clock
        self.state = FlowState()
        self.idle_override = idle_seconds
        self.done_seconds = done_seconds
        self.today = today or self._station_today
        self.verify = VerifyJourney(self)
        self.requests = RequestJourney(self)
        self.progress = ProgressJourney(self)
        self.rating = RatingJourney(self)
        self.pickup = PickupJourney(self)
        self.maintenance = MaintenanceJourney(self)
        self._link_tries, self._link_asked = 0, clock.now()
        self.type_names: dict[str, Text] = {}  # not personal: the catalog's names
        self._new_key = key_factory
        self._listeners: list[Callable[[], None]] = []
        self._generation = 0
        self._last_touch = clock.now()
        self._entered_at = clock.now()
        self._last_ping = clock.now()
        self._station_fetched_at: float | None = None
        self._station_seen = False  # the station described itself once (start-up checks done)
        self._retry: Callable[[], None] | None = None
        self._placed_sim_card = False
        self._early: dict[str, SessionInfo] = {}  # identified before our session id was known
        self._lost_at: float | None = None  # when the station's event stream went (None: up)
        self._ever_ticked = False

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
        self._entered_at = self.clock.now()
        self.changed()

    # ---- time -----------------------------------------------------------------------------------

    def slow(self, seconds: float) -> float:
        """Return a timer's length in the current mode (elderly mode is slower)."""
        return seconds * ELDERLY_FACTOR if self.state.elderly else seconds

    @property
    def idle_seconds(self) -> float:
        if self.idle_override is not None:
            base = self.idle_override
        else:
            base = float(self.state.station.session_idle_seconds) if self.state.station else 90.0
        return self.slow(base)

    def _auto_seconds(self) -> float | None:
        """How long the current screen stays without a touch before it moves on by itself."""
        return {Step.DONE: self.done_seconds, Step.THANKS: THANKS_SECONDS,
                Step.VERIFY_RESULT: RESULT_SECONDS, Step.HOME: ATTRACT_SECONDS,
                Step.TAKE_CARD: TAKE_CARD_SECONDS}.get(self.state.step)

    def auto_remaining(self) -> float | None:
        """Seconds until this screen moves on by itself (done, thanks, result, home)."""
        seconds = self._auto_seconds()
        if seconds is None:
            return None
        since = self.clock.now() - max(self._entered_at, self._last_touch)
        return max(0.0, self.slow(seconds) - since)

    def done_remaining(self) -> float | None:
        return self.auto_remaining() if self.state.step is Step.DONE else None

    def idle_remaining(self) -> float | None:
        """Seconds until an idle visit is cleared; None when no such timer runs."""
        step = self.state.step
        if step in RESTING or step is Step.ATTRACT or self._auto_seconds() is not None or self._in_flight():
            return None
        return max(0.0, self.idle_seconds - (self.clock.now() - self._last_touch))

    def idle_warning(self) -> int | None:
        """Whole seconds left while the idle warning shows, else None."""
        remaining = self.idle_remaining()
        if remaining is None or remaining > min(self.slow(IDLE_WARNING_SECONDS), self.idle_seconds / 3):
            return None
        return int(remaining + 0.999)

    def touch(self) -> None:
        """The resident touched the screen: restart the idle timer, keep the session alive."""
        self._last_touch = self.clock.now()
        self._keep_alive()

    def _keep_alive(self) -> None:
        now, session_id = self.clock.now(), self.state.session_id
        if session_id and not self._in_flight() and now - self._last_ping >= KEEPALIVE_SECONDS:
            self._last_ping = now
            self.call(lambda: self.api.get_session(session_id), self._kept_alive)

    def tick(self) -> None:
        """Run the timers (call about twice a second)."""
        step, now = self.state.step, self.clock.now()
        self._check_station_away(now)
        auto = self.auto_remaining()
        if auto is not None and auto <= 0:
            self._move_on()
        elif (idle := self.idle_remaining()) is not None and idle <= 0:
            log.info("visit cleared after %.0f s without a touch", self.idle_seconds)
            self._clear_and_go_home()
        elif step is Step.WAIT_CARD and not self.state.connected and now - self._last_ping >= POLL_SECONDS:
            self._poll_identity()
        elif step in (Step.HOME, Step.ATTRACT) and self._station_stale(now):
            self.refresh_station()
        elif idle is not None:
            self._keep_alive()  # the kiosk's timer rules: the station's must not run out first
        if step is Step.DONE:
            self.phone_link_tick()

    def _move_on(self) -> None:
        step = self.state.step
        if step in (Step.DONE, Step.VERIFY_RESULT):
            self.finish()
        elif step is Step.THANKS:
            self.end_visit()
        elif step is Step.HOME:
            self.attract()
        elif step is Step.TAKE_CARD:
            self.card_taken()

    def _in_flight(self) -> bool:
        return self.state.busy is not None or self.state.step is Step.PRINTING

    def _station_stale(self, now: float) -> bool:
        fetched = self._station_fetched_at
        return fetched is None or now - fetched >= STATION_REFRESH_SECONDS

    # ---- station --------------------------------------------------------------------------------

    def refresh_station(self) -> None:
        """Fetch the station's description and services (home tiles follow it)."""
        self._station_fetched_at = self.clock.now()
        self.call(self.api.station, self._got_station, generation_bound=False)
        self.call(self.api.notices, self._got_notices, generation_bound=False)

    def _got_notices(self, notices: list[Notice] | None, error: StationError | None) -> None:
        if error is None and notices is not None:  # offline: keep the ones we had
            self.state.notices = tuple(notices)
            self.changed()

    def _got_station(self, info: StationInfo | None, error: StationError | None) -> None:
        if error is not None or info is None:
            log.warning("station description not available: %s", error)
            self.state.station = None
            self.changed()
            return
        self.state.station = info
        if not self._station_seen:  # start-up: later, the reader's events say where the card is
            self._station_seen = True
            self.state.card_on_reader = info.card_present
            step = self.state.step
            if info.card_present and step in (Step.ATTRACT, Step.HOME) and not self.state.session_id:
                self._leave_to(step)  # a card left on the reader before the kiosk started
        self.changed()

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
        found = availability(self.state.station, code)
        if not found.usable:
            self._explain_unavailable(code, found.why, found.note, found.advice)
        elif code == CERTIFICATES:
            self.start()
        elif code == VERIFY:
            self.verify.start()
        elif code == REQUESTS:
            self.requests.start()
        elif code == PROGRESS:
            self.progress.start()
        elif code in (HELP, NOTICES):
            self.go(Step.HELP if code == HELP else Step.NOTICES)

    def _explain_unavailable(self, code: str, why: str, note: str, advice: str) -> None:
        lines = [bilingual(why)]
        if note:
            lines.append(bilingual(N_("The staff say: {note}"), note=note))
        lines.append(bilingual(advice))
        working = [bilingual(name) for name in still_working(self.state.station)]
        if working:
            joined = Text("、".join(t.zh for t in working), ", ".join(t.en for t in working))
            lines.append(bilingual(N_("Still working here: {services}"), services=joined))
        self.state.dialog = Dialog(UNAVAILABLE, bilingual(N_("{service} cannot be used right now"),
                                                          service=bilingual(SERVICE_NAMES[code])),
                                   tuple(lines), ((CLOSE, bilingual(N_("OK"))),), tone="warning")
        self.changed()

    def back(self) -> None:
        """Go one step back; from the first steps, back means cancel and go home."""
        step = self.state.step
        if step is Step.PRINTING:
            return
        self.touch()
        special = self._back_to()
        if special is not None:
            self.go(special)
        elif step is Step.PROGRESS:
            self.progress.back()
        elif step in BACK:
            self.go(BACK[step])
        elif step is Step.VERIFY_RESULT:
            self.verify.scan_again()
        elif step is Step.ERROR and self.state.problem and self._can_choose_again():
            self.choose_again()
        else:
            self.request_home()

    def _back_to(self) -> Step | None:
        """Back where it depends on the service or on what was chosen."""
        state, step = self.state, self.state.step
        if step is Step.WAIT_CARD and state.service == REQUESTS:
            return Step.REQ_CATEGORY
        if step is Step.REQ_PLACE:
            return Step.REQ_CATEGORY
        if step is Step.CONFIRM and state.cert_type is not None and state.cert_type.resident_fields:
            return Step.CERT_FIELDS
        return None

    def after_identity(self) -> None:
        """The resident confirmed who they are: the service's own next step."""
        if self.state.service == REQUESTS:
            self.requests.identified()
        elif self.state.service == PROGRESS:
            self.progress.identified()
        else:
            self.go(Step.CHOOSE_TYPE)

    def _can_choose_again(self) -> bool:
        return bool(self.state.problem and Action.CHOOSE_TYPE in self.state.problem.actions)

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
        self._leave_to(Step.HOME)
        self.refresh_station()

    def finish(self) -> None:
        """A service is finished: the rating screen for what was done, then the thanks."""
        state = self.state
        if state.step is Step.REQ_DONE:
            self.requests.finish()
            return
        target = self._rating_target()
        if target is not None and not state.rating.done:
            self.rating.offer(target)
        else:
            self.conclude()

    def _rating_target(self) -> RatingTarget | None:
        """A certificate printed in this visit can be rated: for the identified resident, or by
        the pickup slip that collected it (no identity needed)."""
        state = self.state
        certificate = state.certificate
        if state.step is not Step.DONE or certificate is None or not certificate.printed:
            return None
        if state.identity is not None and state.session_id is not None:
            return RatingTarget("certificate", certificate.id, certificate.type_name)
        if state.service == PICKUP and state.pickup_token:
            return RatingTarget("certificate", certificate.id, certificate.type_name,
                                token=state.pickup_token)
        return None

    def conclude(self) -> None:
        """End the service's session and thank the resident (reminding them of their card)."""
        self._forget_session()
        self._leave_to(Step.THANKS)

    def forget_visit(self) -> None:
        """End the session and forget the resident, staying where we are (the next step decides)."""
        self._forget_session()

    def end_visit(self) -> None:
        """The resident is done (thanks screen): forget the visit, its mode too, and go home."""
        self._end_visit(Step.HOME)

    def _clear_and_go_home(self) -> None:
        self._end_visit(Step.HOME)

    def _end_visit(self, step: Step) -> None:
        self._forget_session()
        self.state.end_visit()
        self._leave_to(step)
        self.refresh_station()

    def _leave_to(self, step: Step) -> None:
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
        self._early.clear()
        if session_id is not None:
            self.call(lambda: self.api.end_session(session_id), _ignore, generation_bound=False)
        self._take_sim_card_back()

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
            self._entered(entry)
        self.changed()
        return entry

    def _entered(self, entry: Entry) -> None:
        if entry.field == PIN_FIELD:
            self.maintenance.check_pin(entry.text)
        elif entry.field == PHONE_FIELD:
            self.requests.set_phone(entry.text)
        elif entry.field == TEXT_FIELD:
            self.requests.set_text(entry.text)
        elif entry.field.startswith("field:"):
            self.set_field(entry.field.removeprefix("field:"), entry.text)

    # ---- events from the station ----------------------------------------------------------------

    def on_connection(self, connected: bool) -> None:
        """The event stream came up or went down."""
        self.state.connected = connected
        if connected:
            self._lost_at, self.state.paused = None, False
            self.refresh_station()
        elif self._lost_at is None:
            self._lost_at = self.clock.now()
        self.changed()

    def _check_station_away(self, now: float) -> None:
        """Pause the kiosk while the station has been away for PAUSE_AFTER_SECONDS (it carries on,
        without a restart, as soon as the event stream is back)."""
        if not self._ever_ticked:  # the window is up: from now on, waiting for the station counts
            self._ever_ticked = True
            if not self.state.connected and self._lost_at is None:
                self._lost_at = now
        away = self._lost_at is not None and now - self._lost_at >= PAUSE_AFTER_SECONDS
        if away != self.state.paused:
            self.state.paused = away
            if away:
                log.warning("the station is away: service paused until it returns")
            self.changed()

    def on_event(self, event: dict[str, Any]) -> None:
        """Handle one event from /ws/events."""
        kind, data = event.get("type"), event.get("data") or {}
        step = self.state.step
        if kind == "session.identified":
            self._on_identified(data)
        elif kind == "session.ended":
            self._on_session_ended(data)
        elif kind == "card.read" and step is Step.ATTRACT:
            self.wake()  # a card placed on the reader wakes the kiosk too
        elif kind == "card.read" and step is Step.WAIT_CARD:
            self.state.reading_card, self.state.card_problem = True, None
            self.changed()
        elif kind == "card.rejected" and step is Step.WAIT_CARD:
            self._on_card_rejected(str(data.get("reason", "")))
        elif kind == "code.scanned" and isinstance(data.get("text"), str):
            route_scan(self, data["text"])
        elif kind == "code.unreadable":
            self.verify.on_unreadable()
            self.progress.on_unreadable()
        elif kind == "component.status" and data.get("id") == "idcard":
            self._on_reader(data)
        if kind in ("component.status", "service.state", "hello") and step in (Step.HOME, Step.ATTRACT):
            self.refresh_station()
        elif kind in ("component.status", "card.read", "card.rejected"):
            self.maintenance.on_device_event()

    def _on_reader(self, data: dict[str, Any]) -> None:
        """Track whether a card lies on the reader (its status detail says so)."""
        raw = data.get("status")
        status: dict[str, Any] = raw if isinstance(raw, dict) else {}
        detail = str(status.get("detail", ""))
        left_before = self.state.card_left
        self.state.card_on_reader = detail.startswith(("card present", "card refused"))
        self.state.card_left = detail == CARD_LEFT_DETAIL
        if self.state.card_left != left_before:  # the waiting screen says so
            self.changed()
        if not self.state.card_on_reader and self.state.step is Step.TAKE_CARD:
            self.card_taken()

    def _on_session_ended(self, data: dict[str, Any]) -> None:
        if data.get("id") != self.state.session_id or self.state.step in (Step.HOME, Step.DONE):
            return
        self._end_with(StationError.local(SESSION_ENDED, detail=str(data.get("reason", ""))))

    def _kept_alive(self, _session: Any, error: StationError | None) -> None:
        if error is not None and error.code.startswith("session."):
            self._end_with(error)

    def _end_with(self, error: StationError) -> None:
        """The station ended the session: forget everything, say so, offer only home."""
        self._generation += 1
        self.state.clear_personal()
        self._retry = None
        self._take_sim_card_back()
        self.state.problem = explain(error, can_retry=False)
        self.go(Step.ERROR)

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

    def snapshot(self) -> dict[str, Any]:
        """The state for the test-automation hook: no names, no ID numbers."""
        state = self.state
        return {
            "step": state.step.value, "busy": state.busy, "connected": state.connected,
            "paused": state.paused,
            "has_session": state.session_id is not None, "identified": state.identity is not None,
            "type_code": state.cert_type.code if state.cert_type else None, "purpose": state.purpose,
            "serial": state.certificate.serial if state.certificate else None,
            "certificate_state": state.certificate.state if state.certificate else None,
            "problem": state.problem.code if state.problem else None,
            "verdict": state.verification.verdict if state.verification else None,
            "scan_problem": state.scan_problem,
            "elderly": state.elderly, "muted": state.muted, "service": state.service,
            "scan_error": state.scan_error.en if state.scan_error else None,
            "outcomes": [o.state for o in state.outcomes], "fields": sorted(state.fields),
            "field_problem": state.field_problem,
            "application": state.application.state if state.application else None,
            "phone_link": (state.phone_link.reason or "available") if state.phone_link else None,
            "pickup_problem": state.pickup_problem.en if state.pickup_problem else None,
            "request": self._request_snapshot(), "ticket_no": self._ticket_no(),
            "rating": {"level": state.rating.level, "reasons": list(state.rating.reasons),
                       "done": state.rating.done,
                       "target": state.rating.target.kind if state.rating.target else None},
            "card_on_reader": state.card_on_reader, "card_left": state.card_left,
            "maintenance": state.maintenance is not None,
            "dialog": state.dialog.code if state.dialog else None,
            "entry": state.entry.kind.value if state.entry else None,
            "idle_remaining": self.idle_remaining(), "auto_remaining": self.auto_remaining(),
            "done_remaining": self.done_remaining(),
        }

    def _request_snapshot(self) -> dict[str, Any]:
        draft = self.state.request
        return {"category": draft.category.code if draft.category else None, "anonymous": draft.anonymous,
                "place": [draft.place_kind, draft.building, draft.unit, draft.landmark],
                "phrases": list(draft.phrases), "has_text": bool(draft.text),
                "photo": draft.photo is not None, "preview": draft.preview is not None,
                "photo_problem": draft.photo_problem, "has_phone": bool(draft.phone),
                "confidential": draft.confidential, "slip_printed": draft.slip_printed,
                "sent": draft.ticket.sent if draft.ticket else None}

    def _ticket_no(self) -> str | None:
        ticket = self.state.request.ticket or self.state.progress.ticket
        return ticket.ticket_no if ticket else None


def _ignore(_value: Any, error: StationError | None) -> None:
    if error is not None:
        log.info("ignored: %s", error)


def _forget_stale(api: StationApi, runner: Runner, value: Any) -> None:
    # A session started for a visit that was cancelled meanwhile must not linger on the station.
    if isinstance(value, tuple) and value and isinstance(value[0], SessionInfo):
        session_id = value[0].id
        runner.submit(lambda: api.end_session(session_id), _ignore)
