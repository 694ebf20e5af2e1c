"""The certificate journey's steps and identifying the resident (a mixin of ``KioskFlow``;
Kivy-free).

    home → wait_card (or scan_resident: the phone's resident code) → identity → choose_type
         → choose_purpose → [cert_fields] → confirm → printing → done (+ the phone copy's QR)
                                                    ↘ applied (types a staff member approves)

Issuing uses one idempotency key per confirmation; a retry re-sends it and prints only if the
certificate is not printed yet, so a lost answer never prints twice. An application works the
same way; its slip carries the pickup QR (``kiosk.pickup``). Identification is shared with the
requests and progress services: the session is started for the service, and after the resident
confirms who they are, the service's own next step follows.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .advice import Action, explain
from .clock import Clock
from .dialogs import EntryKind, bilingual
from .errors import INTERNAL, StationError
from .i18n import N_, translator
from .models import Certificate, CertificateType, Identity, Outcome, SessionInfo, Text
from .records import Application, PhoneLink
from .state import CARD_PROBLEM_DEFAULT, CARD_PROBLEMS, FlowState, StationApi, Step

log = logging.getLogger(__name__)

SERVICE = "certificates"
CHECKING_CODE = N_("Checking your code…")
FUTURE_MONTH = N_("That month has not come yet. Please enter the month it began.")
PHONE_LINK_TRIES = 10  # ask again while the platform is still receiving the certificate
PHONE_LINK_EVERY = 3.0


class CertificateSteps:
    """What a resident does to get a certificate printed."""

    # Provided by KioskFlow.
    state: FlowState
    api: StationApi
    clock: Clock
    _retry: Callable[[], None] | None
    _placed_sim_card: bool
    _early: dict[str, SessionInfo]
    _last_ping: float
    _new_key: Callable[[], str]
    today: Callable[[], dt.date]
    _link_tries: int
    _link_asked: float
    type_names: dict[str, Text]

    if TYPE_CHECKING:  # KioskFlow's plumbing, declared for the type checker only
        def open_entry(self, kind: EntryKind, prompt: str, field: str, text: str = "") -> None: ...
        def touch(self) -> None: ...
        def go(self, step: Step) -> None: ...
        def changed(self) -> None: ...
        def home(self) -> None: ...
        def after_identity(self) -> None: ...
        def _kept_alive(self, _session: Any, error: StationError | None) -> None: ...
        def call(self, call: Callable[[], Any], done: Callable[[Any, StationError | None], None], *,
                 generation_bound: bool = True) -> None: ...

    @property
    def simulated_card(self) -> bool:
        """True if the station's ID card reader is simulated (the demo button shows)."""
        station = self.state.station
        return bool(station and station.simulated.get("idcard"))

    def certificates_available(self) -> bool:
        station = self.state.station
        service = station.service(SERVICE) if station else None
        return service is not None and service.usable

    def start(self) -> None:
        """Home: the resident chose Certificates. Start a session and load the types."""
        self.begin(SERVICE, self.api.certificate_types, self._got_types)

    def _got_types(self, types: list[CertificateType]) -> None:
        self.state.types = types
        self.await_identity()

    def begin(self, service: str, load: Callable[[], Any], loaded: Callable[[Any], None]) -> None:
        """Start a session for ``service`` and load what its first screen needs, then ``loaded``."""
        if self.state.step not in (Step.HOME, Step.ATTRACT, Step.ERROR):
            return
        self.touch()
        self.state.busy = N_("Getting ready…")
        self.state.service = service
        self._retry = lambda: self.begin(service, load, loaded)
        self.changed()

        def call() -> tuple[SessionInfo, Any]:
            session = self.api.start_session(service)
            return session, load()

        self.call(call, lambda value, error: self._began(value, error, loaded))

    def _began(self, value: tuple[SessionInfo, Any] | None, error: StationError | None,
               loaded: Callable[[Any], None]) -> None:
        self.state.busy = None
        if error is not None or value is None:
            self._fail(error)
            return
        session, payload = value
        self.state.session_id = session.id
        self._last_ping = self.clock.now()
        if session.identity is not None:
            self._early[session.id] = session
        for other in [k for k in self._early if k != session.id]:
            del self._early[other]
        self._retry = None
        loaded(payload)

    def await_identity(self) -> None:
        """Show the card reader's screen, unless the resident was identified meanwhile."""
        early = self._early.pop(self.state.session_id or "", None)
        if early is not None and early.identity is not None:
            self._identified(early.identity, early.outcomes)
        else:
            self.go(Step.WAIT_CARD)

    def use_phone_code(self) -> None:
        """Wait card: the resident will show the resident code on their phone instead."""
        if self.state.step is Step.WAIT_CARD:
            self.touch()
            self.state.scan_error = None
            self.go(Step.SCAN_RESIDENT)

    def identify_with_code(self, token: str) -> None:
        """A resident QR code (SF1:) was scanned while waiting for the resident to identify."""
        session_id = self.state.session_id
        if self.state.step not in (Step.WAIT_CARD, Step.SCAN_RESIDENT) or not session_id or self.state.busy:
            return
        self.touch()
        self.state.scan_error, self.state.busy = None, CHECKING_CODE
        self.changed()
        self.call(lambda: self.api.identify_with_code(session_id, token), self._code_checked)

    def _code_checked(self, session: SessionInfo | None, error: StationError | None) -> None:
        self.state.busy = None
        if self.state.identity is not None:
            return  # the station's event was faster
        if error is not None or session is None or session.identity is None:
            message = error.message if error is not None else {}
            self.state.scan_error = (Text.of(message) if message.get("zh")
                                     else bilingual(N_("This code could not be checked.")))
            if self.state.step is Step.WAIT_CARD:
                self.go(Step.SCAN_RESIDENT)
            else:
                self.changed()
            return
        self._identified(session.identity, session.outcomes)

    def simulate_card(self) -> None:
        """Demo only: place a demo resident's card on the simulated reader."""
        if self.state.step is not Step.WAIT_CARD or not self.simulated_card:
            return
        self.touch()
        self._placed_sim_card = True
        self.state.card_problem = None
        self.changed()
        self.call(lambda: self.api.simulate_card("1"), self._card_simulated)

    def _card_simulated(self, _value: Any, error: StationError | None) -> None:
        if error is not None:  # demo only: say so where the resident looks, keep waiting
            log.warning("simulated card not placed: %s", error)
            self._placed_sim_card = False
            self.state.card_problem = N_("The simulated card reader did not respond. Please try again.")
            self.changed()

    def confirm_identity(self) -> None:
        """The resident confirms the details read from the card are theirs."""
        if self.state.step is Step.IDENTITY:
            self.touch()
            self.after_identity()

    def choose_type(self, code: str) -> None:
        """Pick a certificate type (only types this kiosk can issue are accepted)."""
        if self.state.step is not Step.CHOOSE_TYPE:
            return
        kind = next((t for t in self.state.types if t.code == code), None)
        if kind is None or not kind.kiosk_ready:
            return
        self.touch()
        if kind is not self.state.cert_type:  # another type's details do not carry over
            self.state.fields, self.state.field_problem = {}, None
        self.state.cert_type, self.state.purpose = kind, None
        self.state.idempotency_key = None
        self.go(Step.CHOOSE_PURPOSE)

    def choose_purpose(self, code: str) -> None:
        """Pick what the certificate is for."""
        kind = self.state.cert_type
        if self.state.step is not Step.CHOOSE_PURPOSE or kind is None or kind.purpose(code) is None:
            return
        self.touch()
        if code != self.state.purpose:
            self.state.idempotency_key = None  # a different request needs a different key
        self.state.purpose = code
        self.go(Step.CERT_FIELDS if kind.resident_fields else Step.CONFIRM)

    # ---- what the resident adds (a month, a school) ---------------------------------------------

    def edit_field(self, name: str) -> None:
        """Open the keyboard for one of the type's fields (month keypad, or letters)."""
        kind = self.state.cert_type
        found = next((f for f in kind.resident_fields if f.name == name), None) if kind else None
        if self.state.step is not Step.CERT_FIELDS or found is None:
            return
        self.state.field_problem = None
        entry = EntryKind.MONTH if found.kind == "month" else (
            EntryKind.ENGLISH if translator.lang == "en" else EntryKind.PINYIN)
        self.open_entry(entry, N_("Please type here"), f"field:{name}", self.state.fields.get(name, ""))

    def set_field(self, name: str, value: str) -> None:
        """The keyboard gave a field's value (a month may not be in the future)."""
        value = value.strip()
        if value and len(value) == 7 and value[4] == "-" and value > self.today().strftime("%Y-%m"):
            self.state.field_problem = FUTURE_MONTH
        elif value:
            if self.state.fields.get(name) != value:
                self.state.idempotency_key = None  # different details are a different request
            self.state.fields[name] = value
            self.state.field_problem = None
        self.changed()

    @property
    def fields_complete(self) -> bool:
        kind = self.state.cert_type
        return kind is not None and all(self.state.fields.get(f.name) for f in kind.resident_fields)

    def fields_done(self) -> None:
        """Every field is filled in: show the preview."""
        if self.state.step is Step.CERT_FIELDS and self.fields_complete:
            self.touch()
            self.go(Step.CONFIRM)

    def confirm(self) -> None:
        """The resident confirms the preview: issue and print it (or apply, if staff approve it)."""
        if self.state.step is not Step.CONFIRM or self.state.busy:
            return
        self.touch()
        if self.state.idempotency_key is None:
            self.state.idempotency_key = self._new_key()
        kind = self.state.cert_type
        if kind is not None and kind.approval:
            self._apply()
        else:
            self._issue_and_print()

    def _issue_and_print(self) -> None:
        state = self.state
        session_id, kind, purpose = state.session_id, state.cert_type, state.purpose
        key, fields = state.idempotency_key, dict(state.fields)
        if session_id is None or kind is None or purpose is None or key is None:
            return
        self._retry = self._issue_and_print
        state.problem, state.certificate = None, None
        self.go(Step.PRINTING)
        self.call(lambda: self.api.issue_certificate(session_id=session_id, type_code=kind.code,
                                                     purpose=purpose, idempotency_key=key,
                                                     fields=fields),
                  self._issued)

    # ---- applications (a staff member approves) -------------------------------------------------

    def _apply(self) -> None:
        state = self.state
        session_id, kind, purpose = state.session_id, state.cert_type, state.purpose
        key, fields = state.idempotency_key, dict(state.fields)
        if session_id is None or kind is None or purpose is None or key is None:
            return
        self._retry = self._apply
        state.problem = None
        self.go(Step.PRINTING)
        if state.application is not None:  # applied already; only the slip failed
            self._applied(state.application, None)
            return
        self.call(lambda: self.api.apply(session_id=session_id, type_code=kind.code, purpose=purpose,
                                         idempotency_key=key, fields=fields), self._applied)

    def _applied(self, application: Application | None, error: StationError | None) -> None:
        if error is not None or application is None:
            self._fail(error)
            return
        self.state.application = application
        self.changed()
        session_id = self.state.session_id or ""
        self.call(lambda: self.api.print_application_slip(application.id, session_id=session_id),
                  self._slip_printed)

    def _slip_printed(self, application: Application | None, error: StationError | None) -> None:
        if error is not None or application is None:
            self._fail(error)
            return
        self._retry = None
        self.go(Step.APPLIED)

    # ---- the phone copy (a second QR on the done screen) ----------------------------------------

    def fetch_phone_link(self) -> None:
        """Ask the station for the link to the A4 copy (again while the platform is syncing)."""
        certificate, session_id = self.state.certificate, self.state.session_id
        if certificate is None or session_id is None or self.state.identity is None:
            return
        self._link_tries += 1
        self._link_asked = self.clock.now()
        self.call(lambda: self.api.phone_link(certificate.id, session_id=session_id), self._got_link)

    def _got_link(self, link: PhoneLink | None, error: StationError | None) -> None:
        if error is not None or link is None:
            log.info("no phone link: %s", error)
            link = PhoneLink(False, "", "error", Text.of(error.message if error else {}))
        self.state.phone_link = link
        self.changed()

    def phone_link_tick(self) -> None:
        """On the done screen: ask again while the platform is still receiving the certificate."""
        link = self.state.phone_link
        waiting = link is not None and not link.available and link.reason == "syncing"
        if (waiting and self._link_tries < PHONE_LINK_TRIES
                and self.clock.now() - self._link_asked >= PHONE_LINK_EVERY):
            self.fetch_phone_link()

    def _issued(self, certificate: Certificate | None, error: StationError | None) -> None:
        if error is not None or certificate is None:
            self._fail(error)
            return
        self.state.certificate = certificate
        if certificate.printed:  # a retry after a lost answer: it already printed, never twice
            self._done()
            return
        self.changed()
        session_id = self.state.session_id or ""
        self.call(lambda: self.api.print_certificate(certificate.id, session_id=session_id),
                  self._printed)

    def _printed(self, certificate: Certificate | None, error: StationError | None) -> None:
        if error is not None or certificate is None:
            self._fail(error)
            return
        self.state.certificate = certificate
        self._retry = None
        self._done()

    def _done(self) -> None:
        self.state.phone_link, self._link_tries = None, 0
        self.go(Step.DONE)
        self.fetch_phone_link()

    @property
    def printing_phase(self) -> str:
        """msgid: what the printing screen is waiting for right now."""
        kind = self.state.cert_type
        if kind is not None and kind.approval and self.state.service == SERVICE:
            return (N_("Sending your application…") if self.state.application is None
                    else N_("Printing your application slip…"))
        if self.state.certificate is None:
            return N_("Preparing your certificate…")
        return N_("Printing your certificate…")

    def choose_again(self) -> None:
        """After a refusal, choose another certificate type."""
        if self.state.session_id is None or self.state.identity is None:
            self.home()
            return
        self.touch()
        self.state.problem, self.state.cert_type, self.state.purpose = None, None, None
        self.state.idempotency_key, self.state.certificate = None, None
        self.state.fields, self.state.application = {}, None
        self.go(Step.CHOOSE_TYPE)

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

    # ---- the ID card --------------------------------------------------------------------------

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
        elif session.id != self.state.session_id or self.state.identity is not None:
            return
        elif self.state.step in (Step.WAIT_CARD, Step.SCAN_RESIDENT):
            self._identified(session.identity, session.outcomes)
        else:  # read before its screen (e.g. while choosing a request's category): keep it
            self._early[session.id] = session

    def _identified(self, identity: Identity, outcomes: tuple[Outcome, ...] = ()) -> None:
        self.touch()
        self.state.identity, self.state.outcomes = identity, outcomes
        self.state.reading_card, self.state.card_problem = False, None
        self.state.scan_error, self.state.busy = None, None
        self._take_sim_card_back()  # so the next resident's demo card is read afresh
        if outcomes and not self.state.types:  # to name the types the decisions were about
            self.call(self.api.certificate_types, self._got_names, generation_bound=False)
        self.go(Step.IDENTITY)

    def _got_names(self, types: list[CertificateType] | None, error: StationError | None) -> None:
        if error is None and types:
            self.type_names = {t.code: t.name for t in types}
            self.changed()

    def type_name(self, code: str) -> Text:
        """A certificate type's name in both languages (its code if the catalog is not here)."""
        found = next((t.name for t in self.state.types if t.code == code), None)
        return found or self.type_names.get(code) or Text(code, code)

    def _on_card_rejected(self, reason: str) -> None:
        self.state.reading_card = False
        self.state.card_problem = CARD_PROBLEMS.get(reason, CARD_PROBLEM_DEFAULT)
        self._take_sim_card_back()
        self.changed()

    def _poll_identity(self) -> None:
        session_id = self.state.session_id
        if session_id is None:
            return
        self._last_ping = self.clock.now()
        self.call(lambda: self.api.get_session(session_id), self._polled)

    def _polled(self, session: SessionInfo | None, error: StationError | None) -> None:
        if error is not None:
            self._kept_alive(None, error)
        elif session is not None and session.identity is not None and self.state.step is Step.WAIT_CARD:
            self._identified(session.identity, session.outcomes)

    def _take_sim_card_back(self) -> None:
        if self._placed_sim_card:
            self._placed_sim_card = False
            self.call(self.api.remove_simulated_card, _ignore, generation_bound=False)

    def _fail(self, error: StationError | None) -> None:
        error = error or StationError.local(INTERNAL)
        log.warning("step %s failed: %s", self.state.step, error)
        self.state.busy = None
        if error.code.startswith("session."):
            self._retry = None
        self.state.problem = explain(error, can_retry=self._retry is not None)
        self.go(Step.ERROR)


def _ignore(_value: Any, error: StationError | None) -> None:
    if error is not None:
        log.info("ignored: %s", error)
