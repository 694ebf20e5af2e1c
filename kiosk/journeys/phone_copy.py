"""The phone copy: a second QR on the done screen that opens the certificate's A4 copy on the
resident's phone. Right after printing, the platform may still be receiving the certificate, so
the kiosk asks again for a while. Kivy-free."""

from __future__ import annotations

import logging

from ..errors import StationError
from ..records import PhoneLink, Text
from ..state import Step
from .host import JourneyHost

log = logging.getLogger(__name__)

PHONE_LINK_TRIES = 10  # ask again while the platform is still receiving the certificate
PHONE_LINK_EVERY = 3.0


class PhoneCopy:
    """The done screen's link to the A4 copy."""

    def __init__(self, host: JourneyHost) -> None:
        self.host = host
        self._tries, self._asked = 0, host.clock.now()

    def show(self) -> None:
        """A certificate was printed: the done screen, and ask for its link."""
        self.host.state.phone_link, self._tries = None, 0
        self.host.go(Step.DONE)
        self.fetch()

    def fetch(self) -> None:
        """Ask the station for the link to the A4 copy (again while the platform is syncing)."""
        state = self.host.state
        certificate, session_id = state.certificate, state.session_id
        if certificate is None or session_id is None or state.identity is None:
            return
        self._tries += 1
        self._asked = self.host.clock.now()
        self.host.call(lambda: self.host.api.phone_link(certificate.id, session_id=session_id), self._got)

    def _got(self, link: PhoneLink | None, error: StationError | None) -> None:
        if error is not None or link is None:
            log.info("no phone link: %s", error)
            link = PhoneLink(False, "", "error", Text.of(error.message if error else {}))
        self.host.state.phone_link = link
        self.host.changed()

    def tick(self) -> None:
        """On the done screen: ask again while the platform is still receiving the certificate."""
        link = self.host.state.phone_link
        waiting = link is not None and not link.available and link.reason == "syncing"
        if (waiting and self._tries < PHONE_LINK_TRIES
                and self.host.clock.now() - self._asked >= PHONE_LINK_EVERY):
            self.fetch()
