"""Who the resident is — shared by certificates, requests and progress: a session is started for
the service, the resident places the ID card (or shows the resident code on their phone), confirms
the details read, and the service's own next step follows (``JourneyHost.after_identity``).

    a service's first step → wait_card (or scan_resident) → identity → the service goes on

A card read before its screen (while the session was starting, or while choosing a request's
category) is kept and used when the screen comes. Kivy-free.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from ..dialogs import bilingual
from ..errors import StationError
from ..i18n import N_
from ..records import CertificateType, Identity, Outcome, SessionInfo, Text
from ..records.residents import Promotion
from ..state import CARD_PROBLEM_DEFAULT, CARD_PROBLEMS, Step
from .host import JourneyHost

log = logging.getLogger(__name__)

CHECKING_CODE = N_("Checking your code…")


class Identification:
    """Starting a service's session and identifying its resident."""

    def __init__(self, host: JourneyHost, *, pinged: Callable[[], None],
                 session_lost: Callable[[Any, StationError | None], None]) -> None:
        self.host = host
        self._pinged = pinged  # the station heard from this session just now (keep-alive timer)
        self._session_lost = session_lost  # a poll found the session gone
        self.type_names: dict[str, Text] = {}  # not personal: the catalog's names
        self._early: dict[str, SessionInfo] = {}  # identified before our session id was known
        self._placed_sim_card = False

    @property
    def simulated_card(self) -> bool:
        """True if the station's ID card reader is simulated (the demo button shows)."""
        station = self.host.state.station
        return bool(station and station.simulated.get("idcard"))

    # ---- the session ----------------------------------------------------------------------------

    def begin(self, service: str, load: Callable[[], Any], loaded: Callable[[Any], None]) -> None:
        """Start a session for ``service`` and load what its first screen needs, then ``loaded``."""
        host, state = self.host, self.host.state
        if state.step not in (Step.HOME, Step.ATTRACT, Step.COMMUNITY, Step.ERROR):
            return
        host.touch()
        state.busy = N_("Getting ready…")
        state.service = service
        host.set_retry(lambda: self.begin(service, load, loaded))
        host.changed()

        def call() -> tuple[SessionInfo, Any]:
            session = host.api.start_session(service)
            return session, load()

        host.call(call, lambda value, error: self._began(value, error, loaded))

    def _began(self, value: tuple[SessionInfo, Any] | None, error: StationError | None,
               loaded: Callable[[Any], None]) -> None:
        self.host.state.busy = None
        if error is not None or value is None:
            self.host.fail(error)
            return
        session, payload = value
        self.host.state.session_id = session.id
        self._pinged()
        if session.identity is not None:
            self._early[session.id] = session
        for other in [k for k in self._early if k != session.id]:
            del self._early[other]
        self.host.set_retry(None)
        loaded(payload)

    def forget(self) -> None:
        """The visit ended: a card read early belongs to nobody now."""
        self._early.clear()

    # ---- waiting for the card or the code -------------------------------------------------------

    def await_identity(self) -> None:
        """Show the card reader's screen, unless the resident was identified meanwhile."""
        early = self._early.pop(self.host.state.session_id or "", None)
        if early is not None and early.identity is not None:
            self._identified(early.identity, early.outcomes, early.promotions)
        else:
            self.host.go(Step.WAIT_CARD)

    def use_phone_code(self) -> None:
        """Wait card: the resident will show the resident code on their phone instead."""
        if self.host.state.step is Step.WAIT_CARD:
            self.host.touch()
            self.host.state.scan_error = None
            self.host.go(Step.SCAN_RESIDENT)

    def identify_with_code(self, token: str) -> None:
        """A resident QR code (SF1:) was scanned while waiting for the resident to identify."""
        host, state = self.host, self.host.state
        session_id = state.session_id
        if state.step not in (Step.WAIT_CARD, Step.SCAN_RESIDENT) or not session_id or state.busy:
            return
        host.touch()
        state.scan_error, state.busy = None, CHECKING_CODE
        host.changed()
        host.call(lambda: host.api.identify_with_code(session_id, token), self._code_checked)

    def _code_checked(self, session: SessionInfo | None, error: StationError | None) -> None:
        state = self.host.state
        state.busy = None
        if state.identity is not None:
            return  # the station's event was faster
        if error is not None or session is None or session.identity is None:
            message = error.message if error is not None else {}
            state.scan_error = (Text.of(message) if message.get("zh")
                                else bilingual(N_("This code could not be checked.")))
            if state.step is Step.WAIT_CARD:
                self.host.go(Step.SCAN_RESIDENT)
            else:
                self.host.changed()
            return
        self._identified(session.identity, session.outcomes, session.promotions)

    def simulate_card(self) -> None:
        """Demo only: place a demo resident's card on the simulated reader."""
        if self.host.state.step is not Step.WAIT_CARD or not self.simulated_card:
            return
        self.host.touch()
        self._placed_sim_card = True
        self.host.state.card_problem = None
        self.host.changed()
        self.host.call(lambda: self.host.api.simulate_card("1"), self._card_simulated)

    def _card_simulated(self, _value: Any, error: StationError | None) -> None:
        if error is not None:  # demo only: say so where the resident looks, keep waiting
            log.warning("simulated card not placed: %s", error)
            self._placed_sim_card = False
            self.host.state.card_problem = N_("The simulated card reader did not respond. Please try again.")
            self.host.changed()

    def take_sim_card_back(self) -> None:
        if self._placed_sim_card:
            self._placed_sim_card = False
            self.host.call(self.host.api.remove_simulated_card, _ignore, generation_bound=False)

    def poll(self) -> None:
        """The event stream is down: ask the station whether the card was read."""
        session_id = self.host.state.session_id
        if session_id is None:
            return
        self._pinged()
        self.host.call(lambda: self.host.api.get_session(session_id), self._polled)

    def _polled(self, session: SessionInfo | None, error: StationError | None) -> None:
        if error is not None:
            self._session_lost(None, error)
        elif session is not None and session.identity is not None and self.host.state.step is Step.WAIT_CARD:
            self._identified(session.identity, session.outcomes, session.promotions)

    # ---- the station's events -------------------------------------------------------------------

    def on_identified(self, data: dict[str, Any]) -> None:
        """``session.identified``: the card (or code) named the resident of a session."""
        try:
            session = SessionInfo.parse(data)
        except StationError:
            log.warning("ignored a session.identified event without a usable session")
            return
        state = self.host.state
        if session.identity is None:
            return
        if state.session_id is None and state.busy:
            self._early[session.id] = session
        elif session.id != state.session_id or state.identity is not None:
            return
        elif state.step in (Step.WAIT_CARD, Step.SCAN_RESIDENT):
            self._identified(session.identity, session.outcomes, session.promotions)
        else:  # read before its screen (e.g. while choosing a request's category): keep it
            self._early[session.id] = session

    def on_card_rejected(self, reason: str) -> None:
        state = self.host.state
        state.reading_card = False
        state.card_problem = CARD_PROBLEMS.get(reason, CARD_PROBLEM_DEFAULT)
        self.take_sim_card_back()
        self.host.changed()

    def _identified(self, identity: Identity, outcomes: tuple[Outcome, ...] = (),
                    promotions: tuple[Promotion, ...] = ()) -> None:
        host, state = self.host, self.host.state
        host.touch()
        state.identity, state.outcomes, state.promotions = identity, outcomes, promotions
        state.reading_card, state.card_problem = False, None
        state.scan_error, state.busy = None, None
        self.take_sim_card_back()  # so the next resident's demo card is read afresh
        if outcomes and not state.types:  # to name the types the decisions were about
            host.call(host.api.certificate_types, self._got_names, generation_bound=False)
        host.go(Step.IDENTITY)

    def _got_names(self, types: list[CertificateType] | None, error: StationError | None) -> None:
        if error is None and types:
            self.type_names = {t.code: t.name for t in types}
            self.host.changed()

    def type_name(self, code: str) -> Text:
        """A certificate type's name in both languages (its code if the catalog is not here)."""
        found = next((t.name for t in self.host.state.types if t.code == code), None)
        return found or self.type_names.get(code) or Text(code, code)

    def confirm_identity(self) -> None:
        """The resident confirms the details read from the card are theirs."""
        if self.host.state.step is Step.IDENTITY:
            self.host.touch()
            self.host.after_identity()


def _ignore(_value: Any, error: StationError | None) -> None:
    if error is not None:
        log.info("ignored: %s", error)
