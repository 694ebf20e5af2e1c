"""申请备案: filed — the application number (to follow it under 我的申请) and the slip that comes
out of the printer (or why it did not)."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import N_, _, translator
from kiosk.ui.widgets import InfoCard, KioskButton

from .choices import ChoicesScreen


class OrgDoneScreen(ChoicesScreen):  # the layout is ChoicesScreen's (choices.kv)
    columns = (1, 1)

    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("File an organisation")
        self.can_back = False
        self._done = KioskButton(aid="org_done")
        self._done.bind(on_release=lambda _b: self.flow.finish())
        self.ids.footer.add_widget(self._done)

    def render(self) -> None:
        data = self.flow.state.organisations
        filed = data.filed
        if filed is None:
            return
        self.ids.prompt.text = _("Filed. Your application number:")
        self.ids.note.text = _("The community will review it. See how it stands under My applications.")
        self._done.text = _("Done")
        if data.slip_printed:
            slip = _("Please take your slip from the slot below the screen.")
        else:
            why = translator.pick(data.slip_problem) if data.slip_problem else ""
            slip = _("The slip could not be printed: {why} Your filing is kept.").format(why=why)
        self.rebuild_if((filed.id, slip), lambda: self._build(filed.id, filed.name, slip))

    def _build(self, number: str, name: str, slip: str) -> None:
        self.ids.grid.add_widget(InfoCard(aid="org_number", title=number, note=f"{name}\n{slip}"))
