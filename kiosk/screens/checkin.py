"""社区活动: an activity ticket was scanned — checked in (once per ticket), or the station's words
why not (already used, cancelled, not this activity's day…)."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import N_, _, translator
from kiosk.ui.widgets import KioskButton

from .choices import ChoicesScreen


class CheckinScreen(ChoicesScreen):  # the layout is ChoicesScreen's (choices.kv)
    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Community activities: check in")
        self._ok = KioskButton(aid="checkin_ok")
        self._ok.bind(on_release=lambda _b: self.flow.conclude())
        self.ids.footer.add_widget(self._ok)

    def render(self) -> None:
        draft = self.flow.state.activities
        if draft.checked_in is not None:
            self.ids.prompt.text = _("Checked in. Welcome!")
            self.ids.note.text = draft.checked_in.title
        else:
            self.ids.prompt.text = _("This ticket was not checked in.")
            self.ids.note.text = translator.pick(draft.checkin_problem) if draft.checkin_problem else ""
        self._ok.text = _("OK")
