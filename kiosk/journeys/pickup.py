"""取件 — collecting a certificate a staff member approved: scan the pickup QR (QJ1:) printed on
the application slip, at any hour and without the ID card; the kiosk says whether it is approved
(and prints it), still waiting, or refused and why. A journey (``kiosk.journeys``); Kivy-free.

    home / certificates' card screen / verify's scan screen ─(QJ1: scanned)→ pickup → printing
                                                                               → done → thanks
"""

from __future__ import annotations

import logging

from ..dialogs import bilingual
from ..errors import StationError
from ..i18n import N_
from ..records import Certificate, Text
from ..state import Step
from .host import JourneyHost

log = logging.getLogger(__name__)

SERVICE = "pickup"
CHECKING = N_("Checking your application slip…")
NOT_A_SLIP = N_("This is not the QR code of an application slip. Please scan the code on your slip.")
WAITING = "application.not_approved"
REJECTED = "application.rejected"
INVALID = "application.pickup_invalid"


class PickupJourney:
    """Collecting with the slip; the flow routes QJ1: scans here."""

    def __init__(self, host: JourneyHost) -> None:
        self.host = host

    def start(self) -> None:
        """"Collect with a slip": show where to scan it."""
        state = self.host.state
        if state.step not in (Step.HOME, Step.ATTRACT, Step.WAIT_CARD) or state.busy:
            return
        self.host.touch()
        if state.step is Step.WAIT_CARD:
            self.host.forget_visit()  # the certificate session is not needed to collect
        state.service, state.scan_error, state.scan_problem = SERVICE, None, None
        self.host.go(Step.PICKUP_SCAN)

    def on_scanned(self, token: str) -> None:
        """A pickup QR was scanned: ask the station what became of the application."""
        state = self.host.state
        if state.busy or state.step is Step.PRINTING:
            return
        self.host.touch()
        if state.session_id is not None and state.step is not Step.PICKUP_SCAN:
            self.host.forget_visit()
        state.service, state.pickup_token = SERVICE, token
        state.scan_error, state.scan_problem, state.pickup_problem = None, None, None
        state.certificate, state.busy = None, CHECKING
        self.host.changed()
        self.host.call(lambda: self.host.api.pickup(token), self._checked)

    def _checked(self, certificate: Certificate | None, error: StationError | None) -> None:
        state = self.host.state
        state.busy = None
        if error is None and certificate is not None:
            state.certificate = certificate
            self.host.go(Step.PICKUP)
        elif error is not None and error.code in (WAITING, REJECTED):
            state.pickup_problem = self._problem(error)
            self.host.go(Step.PICKUP)
        else:
            log.info("pickup slip refused: %s", error)
            invalid = error is None or error.code == INVALID or not error.message.get("zh")
            state.scan_error = None if invalid else Text.of(error.message if error else {})
            state.scan_problem = NOT_A_SLIP if invalid else None
            self.host.go(Step.PICKUP_SCAN)

    @staticmethod
    def _problem(error: StationError) -> Text:
        reason = str(error.context.get("reason") or "").strip()
        message = Text.of(error.message)
        if error.code == REJECTED and reason:
            because = bilingual(N_("Reason: {reason}"), reason=reason)
            return Text(f"{message.zh}{because.zh}", f"{message.en} {because.en}")
        return message

    def print_it(self) -> None:
        """Print the approved certificate."""
        state = self.host.state
        token = state.pickup_token
        if state.step is not Step.PICKUP or state.certificate is None or not token:
            return
        self.host.touch()
        self.host.set_retry(self.print_it_again)
        state.problem = None
        self.host.go(Step.PRINTING)
        self.host.call(lambda: self.host.api.print_pickup(token), self._printed)

    def print_it_again(self) -> None:
        self.host.state.step = Step.PICKUP
        self.print_it()

    def _printed(self, certificate: Certificate | None, error: StationError | None) -> None:
        if error is not None or certificate is None:
            self.host.fail(error)
            return
        self.host.set_retry(None)
        self.host.state.certificate = certificate
        self.host.state.phone_link = None
        self.host.go(Step.DONE)
