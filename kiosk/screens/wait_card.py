"""Waiting for the resident's ID card: says what to do, shows a read in progress or why the card
was refused; a demo button places a simulated card when the reader is simulated."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import N_, _

from .base import KioskScreen, load_kv

load_kv(__file__)


class WaitCardScreen(KioskScreen):
    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Certificates: identify yourself")

    def render(self) -> None:
        state = self.flow.state
        ids = self.ids
        ids.status.text = _(N_("Reading your card…") if state.reading_card
                            else N_("Waiting for your ID card…"))
        ids.problem.text = _(state.card_problem) if state.card_problem else ""
        ids.simulate.opacity = 1 if self.flow.simulated_card else 0
        ids.simulate.disabled = not self.flow.simulated_card

    def on_enter(self, *_args: Any) -> None:
        self.ids.spinner.active = True

    def on_leave(self, *_args: Any) -> None:
        self.ids.spinner.active = False
