"""社区活动: signed up — a place, or the waiting list and one's position on it; the slip with the
ticket QR comes out of the printer (or why it did not)."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import N_, _, translator
from kiosk.ui.widgets import KioskButton, KLabel

from .choices import ChoicesScreen


class ActivityDoneScreen(ChoicesScreen):  # the layout is ChoicesScreen's (choices.kv)
    columns = (1, 1)

    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Community activities: signed up")
        self.can_back = False
        self._done = KioskButton(aid="activity_done")
        self._done.bind(on_release=lambda _b: self.flow.finish())
        self.ids.footer.add_widget(self._done)

    def render(self) -> None:
        draft = self.flow.state.activities
        signup = draft.signup
        if signup is None:
            return
        if signup.state == "waiting":
            self.ids.prompt.text = _("You are on the waiting list, number {position}.").format(
                position=signup.position or "?")
        else:
            self.ids.prompt.text = _("You are signed up.")
        self.ids.note.text = f"{signup.title} · {signup.when} · {signup.place}"
        self._done.text = _("Done")
        if draft.slip_printed:
            slip = _("Please take your slip. Show its code at the activity to check in.")
        else:
            why = translator.pick(draft.slip_problem) if draft.slip_problem else ""
            slip = _("The slip could not be printed: {why} Your sign-up is kept.").format(why=why)
        self.rebuild_if((signup.id, slip), lambda: self.ids.grid.add_widget(
            KLabel(aid="activity_slip", text=slip, size_hint_y=None)))
