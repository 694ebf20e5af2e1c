"""What the scanning screens share (a resident code, a request slip, an application slip): a
picture of the scanner, what to hold under it, what the kiosk is doing, why the last scan gave
nothing, and a row of other ways (subclasses fill ``ids.ways``)."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import N_, _, translator
from kiosk.ui.widgets import KioskButton
from kiosk.visit.scans import SAMPLES, scanner_simulated, simulate_scan

from .base import KioskScreen, load_kv

load_kv(__file__)


class ScanningScreen(KioskScreen):
    prompt = ""  # msgid: what to hold under the scanner
    hint = ""  # msgid: one more line (left out in elderly mode)
    waiting = ""  # msgid: what the kiosk waits for
    _built_ways: tuple[tuple[str, str], ...] = ()  # the buttons shown: (aid, text)

    def render(self) -> None:
        state, ids = self.flow.state, self.ids
        ids.prompt.text, ids.hint.text = _(self.prompt), _(self.hint)
        ids.status.text = _(state.busy) if state.busy else _(self.waiting)
        problem = translator.pick(state.scan_error) if state.scan_error else ""
        ids.problem.text = problem or (_(state.scan_problem) if state.scan_problem else "")
        ways = self.ways()
        if self.name in {step.value for step in SAMPLES} and scanner_simulated(state):
            ways.append(("simulate_scan", N_("Simulate scan"), lambda: simulate_scan(self.flow)))
        built = tuple((aid, _(msgid)) for aid, msgid, _action in ways)
        if built != self._built_ways:  # never replace a button under a finger on every render
            self._built_ways = built
            ids.ways.clear_widgets()
            for (aid, text), (_aid, _msgid, action) in zip(built, ways, strict=True):
                button = KioskButton(aid=aid, kind="secondary", text=text)
                button.bind(on_release=lambda _b, act=action: act())
                ids.ways.add_widget(button)
        ids.ways.opacity = 1 if ids.ways.children else 0

    def ways(self) -> list[tuple[str, str, Any]]:
        """Other ways from here: (aid, label msgid, action)."""
        return []

    def on_enter(self, *_args: Any) -> None:
        self.ids.spinner.active = True

    def on_leave(self, *_args: Any) -> None:
        self.ids.spinner.active = False
