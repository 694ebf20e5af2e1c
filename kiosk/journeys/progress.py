"""进度查询 — checking a request's progress: scan the slip's QR (no identity needed, offline too)
or identify and pick one of one's requests; the history in plain words; rate a closed request from
there. A journey (``kiosk.journeys``); Kivy-free.

    home → progress_scan ─(GD1: scanned)→ progress → [rate] → thanks
                         ↘ wait_card → identity → progress_list → progress
"""

from __future__ import annotations

import logging

from ..errors import StationError
from ..i18n import N_
from ..records import Text, TicketView
from ..state import ProgressState, RatingTarget, Step
from .host import JourneyHost

log = logging.getLogger(__name__)

SERVICE = "progress"
LOOKING_UP = N_("Looking up your request…")
NOT_A_SLIP = N_("This is not the QR code of a request slip. Please scan the code printed on your slip.")


class ProgressJourney:
    """The progress steps; the flow routes its actions and slip scans here."""

    def __init__(self, host: JourneyHost) -> None:
        self.host = host

    @property
    def found(self) -> ProgressState:
        return self.host.state.progress

    def start(self) -> None:
        """Home: the resident chose 进度查询: scan the slip (or identify instead)."""
        state = self.host.state
        if state.step not in (Step.HOME, Step.ATTRACT):
            return
        self.host.touch()
        state.service, state.scan_error, state.scan_problem = SERVICE, None, None
        self.host.go(Step.PROGRESS_SCAN)

    def identify_instead(self) -> None:
        """Progress scan: the slip is lost — identify with the ID card and list one's requests."""
        state = self.host.state
        if state.step is not Step.PROGRESS_SCAN or state.busy:
            return
        state.step = Step.HOME  # begin() starts from home, as a tile would
        self.host.begin(SERVICE, lambda: None, lambda _none: self.host.await_identity())

    def on_scanned(self, token: str) -> None:
        """A slip's QR (GD1:) was scanned: show that request's progress."""
        state = self.host.state
        if state.busy:
            return
        self.host.touch()
        if state.step is not Step.PROGRESS_SCAN:  # scanned on home or verify: go to progress
            state.service = SERVICE
        state.scan_error, state.scan_problem, state.busy = None, None, LOOKING_UP
        self.host.changed()
        self.host.call(lambda: self.host.api.lookup_ticket(token),
                       lambda view, error: self._looked_up(token, view, error))

    def _looked_up(self, token: str, view: TicketView | None, error: StationError | None) -> None:
        state = self.host.state
        state.busy = None
        if error is not None or view is None:
            log.info("slip not looked up: %s", error)
            said = error is not None and error.message.get("zh")
            state.scan_error = Text.of(error.message) if said and error is not None else None
            state.scan_problem = None if state.scan_error else NOT_A_SLIP
            self.host.go(Step.PROGRESS_SCAN)
            return
        self.found.tickets, self.found.ticket, self.found.token = [view], view, token
        self.host.go(Step.PROGRESS)

    def on_unreadable(self) -> None:
        state = self.host.state
        if state.step is Step.PROGRESS_SCAN and not state.busy:
            state.scan_problem = N_("The code could not be read. Hold the slip flat and still, about a "
                                    "hand's width from the scanner, and try again.")
            self.host.changed()

    def identified(self) -> None:
        """The resident confirmed who they are: list their requests."""
        session_id = self.host.state.session_id
        if session_id is None:
            return
        self.host.state.busy = LOOKING_UP
        self.host.changed()
        self.host.call(lambda: self.host.api.my_tickets(session_id), self._listed)

    def _listed(self, tickets: list[TicketView] | None, error: StationError | None) -> None:
        self.host.state.busy = None
        if error is not None or tickets is None:
            self.host.fail(error)
            return
        self.found.tickets, self.found.token = tickets, ""
        if len(tickets) == 1:
            self.found.ticket = tickets[0]
            self.host.go(Step.PROGRESS)
        else:
            self.host.go(Step.PROGRESS_LIST)

    def show(self, ticket_no: str) -> None:
        """Progress list: one request's history."""
        ticket = next((t for t in self.found.tickets if t.ticket_no == ticket_no), None)
        if self.host.state.step is Step.PROGRESS_LIST and ticket is not None:
            self.host.touch()
            self.found.ticket = ticket
            self.host.go(Step.PROGRESS)

    def back(self) -> None:
        """From one request: back to the list, or home."""
        if self.host.state.step is Step.PROGRESS and len(self.found.tickets) > 1:
            self.host.touch()
            self.host.go(Step.PROGRESS_LIST)
        else:
            self.host.request_home()

    def rate(self) -> None:
        """A closed request: rate how it was handled (by its slip, or as its identified owner)."""
        ticket = self.found.ticket
        if self.host.state.step is not Step.PROGRESS or ticket is None or not ticket.can_rate:
            return
        self.host.touch()
        self.host.offer_rating(RatingTarget("ticket", ticket.ticket_no, ticket.category_name,
                                            token=self.found.token, follow_up=ticket.follow_up))
