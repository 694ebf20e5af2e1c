"""邻里一家亲 — a resident identifies (ID card or resident code) and sees the group QR of their
building's neighbour group, large enough to scan with a phone, with the group's name; a building
without one is told so plainly (group.none). A journey (``kiosk.journeys``); Kivy-free.

    home (邻里群) → wait_card → identity → neighbour_group ─(Finish)→ thanks
"""

from __future__ import annotations

from ..i18n import N_
from ..records import Text
from ..records.volunteers import NeighbourGroup
from ..state import Step, VolunteerState
from .host import JourneyHost
from .lookups import look_up_identified

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
        look_up_identified(self.host, fetch=self.host.api.neighbour_group, busy=LOOKING_UP, refusal=NO_GROUP,
                           show=self._show, step=Step.NEIGHBOUR_GROUP, retry=self.identified)

    def _show(self, group: NeighbourGroup | None, missing: Text | None) -> None:
        self.found.group, self.found.group_missing = group, missing

    def finish(self) -> None:
        if self.host.state.step is Step.NEIGHBOUR_GROUP and not self.host.state.busy:
            self.host.touch()
            self.host.conclude()
