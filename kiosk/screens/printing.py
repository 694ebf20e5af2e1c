"""Printing: says what the kiosk is doing (preparing, then printing) and that a print under way
cannot be abandoned."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import N_, _

from .base import KioskScreen, load_kv

load_kv(__file__)


class PrintingScreen(KioskScreen):
    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Certificates: printing")
        self.can_back = self.can_home = False

    def render(self) -> None:
        self.ids.phase.text = _(self.flow.certificates.printing_phase)

    def on_enter(self, *_args: Any) -> None:
        self.ids.spinner.active = True

    def on_leave(self, *_args: Any) -> None:
        self.ids.spinner.active = False
