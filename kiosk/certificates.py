"""The certificate journey's steps (a mixin of ``KioskFlow``; Kivy-free).

    home → wait_card → identity → choose_type → choose_purpose → confirm → printing → done
                                                                               ↘ error

Issuing uses one idempotency key per confirmation; a retry re-sends it and prints only if the
certificate is not printed yet, so a lost answer never prints twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .advice import Action, explain
from .clock import Clock
from .errors import INTERNAL, StationError
from .i18n import N_
from .models import Certificate, CertificateType, Identity, SessionInfo
from .state import CARD_PROBLEM_DEFAULT, CARD_PROBLEMS, FlowState, StationApi, Step

log = logging.getLogger(__name__)

SERVICE = "certificates"


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

    if TYPE_CHECKING:  # KioskFlow's plumbing, declared for the type checker only
        def touch(self) -> None: ...
        def go(self, step: Step) -> None: ...
        def changed(self) -> None: ...
        def home(self) -> None: ...
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
        if self.state.step not in (Step.HOME, Step.ATTRACT, Step.ERROR):
            return
        self.touch()
        self.state.busy = N_("Getting ready…")
        self.state.service = SERVICE
        self._retry = self.start
        self.changed()

        def call() -> tuple[SessionInfo, list[CertificateType]]:
            session = self.api.start_session(SERVICE)
            return session, self.api.certificate_types()

        self.call(call, self._started)

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
            self.go(Step.WAIT_CARD)

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
            self.go(Step.CHOOSE_TYPE)

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
        self.go(Step.CONFIRM)

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
        self.go(Step.PRINTING)
        self.call(lambda: self.api.issue_certificate(session_id=session_id, type_code=kind.code,
                                                     purpose=purpose, idempotency_key=key),
                  self._issued)

    def _issued(self, certificate: Certificate | None, error: StationError | None) -> None:
        if error is not None or certificate is None:
            self._fail(error)
            return
        self.state.certificate = certificate
        if certificate.printed:  # a retry after a lost answer: it already printed, never twice
            self.go(Step.DONE)
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
        self.go(Step.DONE)

    @property
    def printing_phase(self) -> str:
        """msgid: what the printing screen is waiting for right now."""
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
        elif session.id == self.state.session_id and self.state.step is Step.WAIT_CARD:
            self._identified(session.identity)

    def _identified(self, identity: Identity) -> None:
        self.touch()
        self.state.identity = identity
        self.state.reading_card, self.state.card_problem = False, None
        self._take_sim_card_back()  # so the next resident's demo card is read afresh
        self.go(Step.IDENTITY)

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
            self._identified(session.identity)

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
