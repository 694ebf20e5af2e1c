"""Verify a certificate, step 1: scan the QR printed on it. Says what the kiosk waits for, why a
scan gave nothing, and offers a demo button when the scanner is simulated."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import N_, _
from kiosk.visit.scans import scanner_simulated

from .base import KioskScreen, load_kv

load_kv(__file__)


class ScanCodeScreen(KioskScreen):
    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Verify a certificate")

    def render(self) -> None:
        state = self.flow.state
        self.ids.status.text = _(state.busy) if state.busy else _("Waiting for a code…")
        self.ids.problem.text = _(state.scan_problem) if state.scan_problem else ""
        simulated = scanner_simulated(state)
        self.ids.simulate.opacity = 1 if simulated else 0
        self.ids.simulate.disabled = not simulated

    def on_enter(self, *_args: Any) -> None:
        self.ids.spinner.active = True

    def on_leave(self, *_args: Any) -> None:
        self.ids.spinner.active = False
