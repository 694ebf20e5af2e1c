"""社区活动 — the community's upcoming activities: see one, sign up after identifying (a place, or
the waiting list when full) and take the slip with its ticket QR; see and cancel one's sign-ups;
a ticket (HD1:) scanned at the kiosk checks it in. A journey (``kiosk.journeys``); Kivy-free.

    home → activities → activity ─(sign up)→ wait_card → identity → activity_done
                      ↘ (my sign-ups) wait_card → identity → my_signups (cancel)
    (HD1: scanned) → checkin
"""

from __future__ import annotations

import logging

from ..community_state import ActivitiesState
from ..dialogs import bilingual
from ..errors import StationError
from ..i18n import N_
from ..records import Activity, CheckIn, Signup, Text
from ..state import Step
from .host import JourneyHost
from .slips import Slipped, note_slip, record_then_print

log = logging.getLogger(__name__)

SERVICE = "activities"
TICKET = "HD1:"
LOADING = N_("Looking up the activities…")
SIGNING_UP = N_("Signing you up…")
CHECKING_IN = N_("Checking your ticket…")


class ActivitiesJourney:
    """The activities steps; the flow routes its actions and ticket scans here."""

    def __init__(self, host: JourneyHost) -> None:
        self.host = host

    @property
    def draft(self) -> ActivitiesState:
        return self.host.state.activities

    def start(self) -> None:
        """Home: the resident chose 社区活动: list what is coming up (no identity needed)."""
        state = self.host.state
        if state.step not in (Step.HOME, Step.ATTRACT, Step.COMMUNITY) or state.busy:
            return
        self.host.touch()
        state.service, state.busy = SERVICE, LOADING
        self.host.set_retry(None)
        self.host.changed()
        self.host.call(self.host.api.activities, self._listed)

    def _listed(self, found: list[Activity] | None, error: StationError | None) -> None:
        self.host.state.busy = None
        if error is not None or found is None:
            self.host.fail(error)
            return
        self.draft.activities = found
        self.host.go(Step.ACTIVITIES)

    def show(self, activity_id: str) -> None:
        """Activities: one activity's details."""
        chosen = next((a for a in self.draft.activities if a.id == activity_id), None)
        if self.host.state.step is Step.ACTIVITIES and chosen is not None:
            self.host.touch()
            self.draft.activity = chosen
            self.host.go(Step.ACTIVITY)

    # ---- signing up -----------------------------------------------------------------------------

    def sign_up(self) -> None:
        """Activity: sign up (or join the waiting list): identify first."""
        state, activity = self.host.state, self.draft.activity
        if state.step is not Step.ACTIVITY or activity is None or not activity.signup_open or state.busy:
            return
        self.draft.wants_mine = False
        self._identify()

    def mine(self) -> None:
        """Activities: the resident's own sign-ups (to see or cancel them): identify first."""
        if self.host.state.step is not Step.ACTIVITIES or self.host.state.busy:
            return
        self.draft.wants_mine = True
        self._identify()

    def _identify(self) -> None:
        state = self.host.state
        if state.identity is not None and state.session_id is not None:
            self.identified()  # identified earlier in this visit
            return
        kept = self.draft
        state.step = Step.HOME  # begin() starts from home, as a tile would
        self.host.begin(SERVICE, lambda: None, lambda _none: self._await(kept))

    def _await(self, kept: ActivitiesState) -> None:
        self.host.state.activities = kept
        self.host.await_identity()

    def identified(self) -> None:
        """The resident confirmed who they are: sign up, or list their sign-ups."""
        if self.draft.wants_mine:
            self._list_mine()
            return
        session_id, activity = self.host.state.session_id, self.draft.activity
        if session_id is None or activity is None:
            return
        key = self.draft.idempotency_key = self.draft.idempotency_key or self.host.new_key()
        self.host.set_retry(self.identified)
        self.host.state.busy = SIGNING_UP
        self.host.changed()
        self.host.call(lambda: record_then_print(
            lambda: self.host.api.sign_up(activity.id, session_id=session_id, idempotency_key=key),
            lambda signup: self.host.api.print_signup_slip(signup.id, session_id=session_id),
            "sign-up"), self._signed_up)

    def _signed_up(self, value: Slipped[Signup] | None, error: StationError | None) -> None:
        self.host.state.busy = None
        if error is not None or value is None:
            self.host.fail(error)
            return
        self.host.set_retry(None)
        self.draft.signup = value.record
        note_slip(self.draft, value.slip_error)
        self.host.go(Step.ACTIVITY_DONE)

    # ---- one's sign-ups -------------------------------------------------------------------------

    def _list_mine(self) -> None:
        session_id = self.host.state.session_id
        if session_id is None:
            return
        self.host.state.busy = LOADING
        self.host.changed()
        self.host.call(lambda: self.host.api.my_signups(session_id), self._mine_listed)

    def _mine_listed(self, signups: list[Signup] | None, error: StationError | None) -> None:
        self.host.state.busy = None
        if error is not None or signups is None:
            self.host.fail(error)
            return
        self.draft.signups = [s for s in signups if s.state != "cancelled"]
        self.host.go(Step.MY_SIGNUPS)

    def cancel(self, signup_id: str) -> None:
        """My sign-ups: cancel one (its ticket stops working; the first waiting moves up)."""
        state, session_id = self.host.state, self.host.state.session_id
        if state.step is not Step.MY_SIGNUPS or session_id is None or state.busy:
            return
        self.host.touch()
        state.busy = N_("Cancelling your sign-up…")
        self.host.changed()
        self.host.call(lambda: self.host.api.cancel_signup(signup_id, session_id=session_id),
                       self._cancelled)

    def _cancelled(self, _value: object, error: StationError | None) -> None:
        self.host.state.busy = None
        if error is not None:
            self.host.fail(error)
            return
        self._list_mine()

    # ---- checking a ticket in -------------------------------------------------------------------

    def on_scanned(self, token: str) -> None:
        """An activity ticket (HD1:) was scanned: check it in, once."""
        state = self.host.state
        if state.busy:
            return
        self.host.touch()
        if state.service is None:
            state.service = SERVICE
        self.draft.checked_in, self.draft.checkin_problem = None, None
        state.busy = CHECKING_IN
        self.host.changed()
        self.host.call(lambda: self.host.api.check_in(token), self._checked_in)

    def _checked_in(self, result: CheckIn | None, error: StationError | None) -> None:
        self.host.state.busy = None
        if error is not None or result is None:
            log.info("ticket not checked in: %s", error)
            words = error.message if error is not None else {}
            self.draft.checkin_problem = (Text.of(words) if words.get("zh")
                                          else bilingual(N_("This ticket cannot be checked in.")))
        else:
            self.draft.checked_in = result
        self.host.go(Step.CHECKIN)

    def back(self) -> None:
        """From my sign-ups or a check-in: home (the resident's details go with it)."""
        self.host.request_home()
