"""志愿者签到 — a volunteer signs in to a duty (巡查 调解 值守 活动) or out of the open one, and takes
the slip; their own record of hours for this month is shown and printed on request. Someone not in
the volunteer register is told so plainly. A journey (``kiosk.journeys``); Kivy-free.

    home → wait_card → identity → volunteer_duty ─(sign in / sign out)→ volunteer_done → thanks
                                                 ↘ volunteer_hours (print)
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from ..errors import StationError
from ..i18n import N_
from ..records import Text
from ..records.volunteers import Duty, DutyKind, HoursRecord, VolunteerInfo
from ..state import Step, VolunteerState
from .host import JourneyHost
from .lookups import look_up_identified

log = logging.getLogger(__name__)

SERVICE = "volunteers"
NOT_REGISTERED = "volunteer.not_registered"
LOOKING_UP = N_("Looking you up in the volunteer register…")
PRINTING = N_("Printing your slip…")


class VolunteerJourney:
    def __init__(self, host: JourneyHost) -> None:
        self.host = host

    @property
    def found(self) -> VolunteerState:
        return self.host.state.volunteer

    def start(self) -> None:
        """Home: 志愿者签到 — a session, the duty kinds, then the ID card (or resident code)."""
        self.host.begin(SERVICE, self.host.api.duty_kinds, self._kinds_loaded)

    def _kinds_loaded(self, kinds: list[DutyKind]) -> None:
        self.found.kinds = kinds
        self.host.await_identity()

    def identified(self) -> None:
        """The resident confirmed who they are: find them in the volunteer register."""
        look_up_identified(self.host, fetch=self.host.api.volunteer_me, busy=LOOKING_UP,
                           refusal=NOT_REGISTERED, show=self._show, step=Step.VOL_DUTY,
                           retry=self.identified)

    def _show(self, info: VolunteerInfo | None, problem: Text | None) -> None:
        self.found.info, self.found.problem = info, problem

    def sign_in(self, kind: str) -> None:
        """Volunteer duty: begin a duty of ``kind``; the slip prints."""
        info, session_id = self.found.info, self.host.state.session_id
        if (self.host.state.step is not Step.VOL_DUTY or self.host.state.busy or info is None
                or info.open_duty is not None or session_id is None):
            return
        self.host.touch()
        self._act(lambda: self.host.api.duty_sign_in(session_id, kind))

    def sign_out(self) -> None:
        """Volunteer duty: end the open duty; the slip with both times and the hours prints."""
        info, session_id = self.found.info, self.host.state.session_id
        if (self.host.state.step is not Step.VOL_DUTY or self.host.state.busy or info is None
                or info.open_duty is None or session_id is None):
            return
        self.host.touch()
        self._act(lambda: self.host.api.duty_sign_out(session_id))

    def _act(self, call: Callable[[], Duty]) -> None:
        self.host.state.busy = PRINTING
        self.host.changed()
        self.host.call(call, self._acted)

    def _acted(self, duty: Duty | None, error: StationError | None) -> None:
        self.host.state.busy = None
        if error is not None or duty is None:
            # the duty may be recorded though the slip did not print: look again before retrying
            self.host.set_retry(self.identified)
            self.host.fail(error)
            return
        self.found.duty = duty
        self.host.go(Step.VOL_DONE)

    def show_hours(self) -> None:
        """Volunteer duty or done: this month's own record of hours."""
        session_id = self.host.state.session_id
        if (self.host.state.step not in (Step.VOL_DUTY, Step.VOL_DONE) or self.host.state.busy
                or self.found.info is None or session_id is None):
            return
        self.host.touch()
        self.found.hours_printed = False
        self.host.state.busy = LOOKING_UP
        self.host.changed()
        self.host.call(lambda: self.host.api.volunteer_hours(session_id, print_it=False), self._hours)

    def print_hours(self) -> None:
        session_id = self.host.state.session_id
        if self.host.state.step is not Step.VOL_HOURS or self.host.state.busy or session_id is None:
            return
        self.host.touch()
        self.host.state.busy = PRINTING
        self.host.changed()
        self.host.call(lambda: self.host.api.volunteer_hours(session_id, print_it=True),
                       lambda record, error: self._hours(record, error, printed=True))

    def _hours(self, record: HoursRecord | None, error: StationError | None, *,
               printed: bool = False) -> None:
        self.host.state.busy = None
        if error is not None or record is None:
            self.host.set_retry(self.identified)
            self.host.fail(error)
            return
        self.found.hours, self.found.hours_printed = record, printed
        self.host.go(Step.VOL_HOURS)

    def finish(self) -> None:
        """Done, hours or not registered: end the session and thank them."""
        state = self.host.state
        if state.step in (Step.VOL_DUTY, Step.VOL_DONE, Step.VOL_HOURS) and not state.busy:
            self.host.touch()
            self.host.conclude()
