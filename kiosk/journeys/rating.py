"""评价 — rating a finished service: five levels (非常满意 … 非常不满意), each a big button with an
icon and words; optional reasons that fit the level; anonymous (the station records no identity
with it). The rating screen follows a service directly (``KioskFlow.finish``); a rating can be
sent once, and a reopened request once more (追评). A journey (``kiosk.journeys``); Kivy-free.
"""

from __future__ import annotations

import logging
from typing import Any

from ..errors import StationError
from ..i18n import N_
from ..records import RatingOptions, Text
from ..state import FlowState, RatingState, RatingTarget, Step
from .host import JourneyHost
from .pickup import SERVICE as PICKUP

log = logging.getLogger(__name__)

SENDING = N_("Sending your rating…")
ALREADY = "ticket.already_rated"
# The level's picture (assets/images/rate_<code>.png): a face, so no level is told by colour alone.
LEVEL_ICONS = {5: "rate_5.png", 4: "rate_4.png", 3: "rate_3.png", 2: "rate_2.png", 1: "rate_1.png"}


class RatingJourney:
    """The rating step; ``offer`` shows it for a target, ``send``/``skip`` leave it."""

    def __init__(self, host: JourneyHost) -> None:
        self.host = host
        self.options: RatingOptions | None = None  # not personal: kept between visits

    @property
    def now(self) -> RatingState:
        return self.host.state.rating

    def offer(self, target: RatingTarget) -> None:
        """Show the rating screen for ``target`` (loading the levels the first time)."""
        self.host.state.rating = RatingState(target=target)
        self.host.go(Step.RATE)
        if self.options is None:
            self.host.call(self.host.api.rating_options, self._got_options, generation_bound=False)

    def _got_options(self, options: RatingOptions | None, error: StationError | None) -> None:
        if error is not None or options is None:
            log.warning("rating options not available: %s", error)
            if self.host.state.step is Step.RATE:
                self.host.conclude()  # nothing to rate with: thank the resident all the same
            return
        self.options = options
        self.host.changed()

    def choose_level(self, level: int) -> None:
        if self.host.state.step is not Step.RATE or self.options is None or self.host.state.busy:
            return
        if level not in {v.level for v in self.options.levels}:
            return
        self.host.touch()
        if self.now.level is not None and (self.now.level <= self.options.bad_at_or_below) != (
                level <= self.options.bad_at_or_below):
            self.now.reasons = []  # the other tone's reasons no longer fit
        self.now.level, self.now.problem = level, None
        self.host.changed()

    def toggle_reason(self, code: str) -> None:
        level = self.now.level
        if self.host.state.step is not Step.RATE or self.options is None or level is None:
            return
        if code not in {r.code for r in self.options.reasons_for(level)}:
            return
        self.host.touch()
        reasons = self.now.reasons
        reasons.remove(code) if code in reasons else reasons.append(code)
        self.host.changed()

    def body(self) -> dict[str, Any]:
        """What POST /api/ratings is sent: no identity beyond what finds the service."""
        target, state = self.now.target, self.host.state
        assert target is not None
        body: dict[str, Any] = {"target": target.kind, "level": self.now.level,
                                "reasons": list(self.now.reasons)}
        if target.kind == "certificate" and target.token:  # collected with its pickup slip
            return body | {"token": target.token}
        if target.kind == "certificate":
            return body | {"session_id": state.session_id, "certificate_id": target.id}
        if target.token:
            return body | {"token": target.token, "ticket_no": target.id}
        return body | {"session_id": state.session_id, "ticket_no": target.id}

    def send(self) -> None:
        """Send the rating (once)."""
        if self.host.state.step is not Step.RATE or self.now.level is None or self.host.state.busy:
            return
        self.host.touch()
        body = self.body()
        self.host.state.busy = SENDING
        self.host.changed()
        self.host.call(lambda: self.host.api.rate(body), self._sent)

    def _sent(self, _value: Any, error: StationError | None) -> None:
        self.host.state.busy = None
        if error is not None and error.code != ALREADY:
            log.warning("rating not sent: %s", error)
            self.now.problem = Text.of(error.message)
            self.host.changed()
            return
        self.now.done = True
        self.host.conclude()

    def skip(self) -> None:
        """No rating this time."""
        if self.host.state.step is Step.RATE and not self.host.state.busy:
            self.host.touch()
            self.host.conclude()


def rating_target(state: FlowState) -> RatingTarget | None:
    """A certificate printed in this visit can be rated: for the identified resident, or by the
    pickup slip that collected it (no identity needed)."""
    certificate = state.certificate
    if state.step is not Step.DONE or certificate is None or not certificate.printed:
        return None
    if state.identity is not None and state.session_id is not None:
        return RatingTarget("certificate", certificate.id, certificate.type_name)
    if state.service == PICKUP and state.pickup_token:
        return RatingTarget("certificate", certificate.id, certificate.type_name,
                            token=state.pickup_token)
    return None
