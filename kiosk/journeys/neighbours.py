"""邻里一家亲 — a resident identifies (ID card or resident code) and sees the group QR of their
building's neighbour group, large enough to scan with a phone, with the group's name; a building
without one is told so plainly (group.none). A journey (``kiosk.journeys``); Kivy-free.

    home (邻里群) → wait_card → identity → neighbour_group ─(Finish)→ thanks
"""

from __future__ import annotations

from ..errors import StationError
from ..i18n import N_
from ..records import Text
from ..records.volunteers import NeighbourGroup
from ..state import Step, VolunteerState
from .host import JourneyHost

SERVICE = "neighbours"
NO_GROUP = "group.none"
LOOKING_UP = N_("Looking up your building's neighbour group…")


class NeighbourGroupJourney:
    def __init__(self, host: JourneyHost) -> None:
        self.host = host

    @property
    def found(self) -> VolunteerState:
        return self.host.state.volunteer

    def start(self) -> None:
        """Home's 邻里群: a session, then the ID card (or resident code)."""
        self.host.begin(SERVICE, lambda: None, lambda _none: self.host.await_identity())

    def identified(self) -> None:
        """The resident confirmed who they are: their building's group."""
        session_id = self.host.state.session_id
        if session_id is None:
            return
        self.host.state.busy = LOOKING_UP
        self.host.changed()
        self.host.call(lambda: self.host.api.neighbour_group(session_id), self._found)

    def _found(self, group: NeighbourGroup | None, error: StationError | None) -> None:
        self.host.state.busy = None
        if error is not None and error.code == NO_GROUP:
            self.found.group, self.found.group_missing = None, Text.of(error.message)
            self.host.go(Step.NEIGHBOUR_GROUP)
            return
        if error is not None or group is None:
            self.host.set_retry(self.identified)
            self.host.fail(error)
            return
        self.found.group, self.found.group_missing = group, None
        self.host.go(Step.NEIGHBOUR_GROUP)

    def finish(self) -> None:
        if self.host.state.step is Step.NEIGHBOUR_GROUP and not self.host.state.busy:
            self.host.touch()
            self.host.conclude()
