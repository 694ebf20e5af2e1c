"""Waiting for the resident's ID card: says what to do, shows a read in progress or why the card
was refused, and offers the other ways: the resident code on the phone, filing a request without
a name (where its category allows), collecting an approved certificate with its slip. A demo
button places a simulated card when the reader is simulated."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import N_, _
from kiosk.ui.widgets import KioskButton

from .base import KioskScreen, load_kv

load_kv(__file__)

TITLES = {"certificates": N_("Certificates: identify yourself"),
          "requests": N_("Requests: identify yourself"), "progress": N_("Check progress: identify yourself")}


class WaitCardScreen(KioskScreen):
    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = TITLES["certificates"]
        self._ways: tuple[str, ...] | None = None

    def render(self) -> None:
        state = self.flow.state
        ids = self.ids
        self.title = TITLES.get(state.service or "", TITLES["certificates"])
        ids.status.text = _(N_("Reading your card…") if state.reading_card
                            else N_("Waiting for your ID card…"))
        if state.card_left and not state.reading_card:  # someone else's card, or one left too long
            ids.status.text = _("A card is already lying on the reader. Please take it off, then "
                                "place your ID card on the reader.")
        ids.problem.text = _(state.card_problem) if state.card_problem else ""
        ids.simulate.opacity = 1 if self.flow.identification.simulated_card else 0
        ids.simulate.disabled = not self.flow.identification.simulated_card
        self._render_ways()

    def _render_ways(self) -> None:
        identification = self.flow.identification
        ways = [("use_phone_code", N_("Use the resident code on my phone"), identification.use_phone_code)]
        if self.flow.requests.may_be_anonymous:
            ways.append(("file_anonymously", N_("File without my name"), self.flow.requests.go_anonymous))
        if self.flow.state.service == "certificates":
            ways.append(("collect_with_slip", N_("Collect with an application slip"), self.flow.pickup.start))
        shown = tuple(f"{aid}={_(msgid)}" for aid, msgid, _action in ways)
        if shown == self._ways:  # never replace a button under a finger on every render
            return
        self._ways = shown
        box = self.ids.ways
        box.clear_widgets()
        for aid, msgid, action in ways:
            button = KioskButton(aid=aid, kind="secondary", text=_(msgid))
            button.bind(on_release=lambda _b, act=action: act())
            box.add_widget(button)

    def on_enter(self, *_args: Any) -> None:
        self.ids.spinner.active = True

    def on_leave(self, *_args: Any) -> None:
        self.ids.spinner.active = False
