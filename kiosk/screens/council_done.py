"""小区议事堂: the proposal is raised — its number, and the slip with its status (or why it did not
print)."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import N_, _, translator
from kiosk.ui.widgets import KioskButton, KLabel

from .choices import ChoicesScreen


class CouncilDoneScreen(ChoicesScreen):  # the layout is ChoicesScreen's (choices.kv)
    columns = (1, 1)

    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Compound council: sent")
        self.can_back = False
        self._done = KioskButton(aid="council_done")
        self._done.bind(on_release=lambda _b: self.flow.finish())
        self.ids.footer.add_widget(self._done)

    def render(self) -> None:
        draft = self.flow.state.council
        raised = draft.raised
        if raised is None:
            return
        self.ids.prompt.text = _("Your proposal is raised. Its number is {number}.").format(
            number=raised.number)
        self.ids.note.text = raised.title
        self._done.text = _("Done")
        needed = _("It needs the support of {needed} households; yours is the first.").format(
            needed=raised.threshold)
        if draft.slip_printed:
            slip = _("Please take your slip.")
        else:
            why = translator.pick(draft.slip_problem) if draft.slip_problem else ""
            slip = _("The slip could not be printed: {why} Your proposal is kept.").format(why=why)
        self.rebuild_if((raised.id, slip), lambda: self._build((needed, slip)))

    def _build(self, lines: tuple[str, ...]) -> None:
        self.ids.grid.add_widget(KLabel(aid="council_done_lines", text="\n".join(lines), style="large"))
