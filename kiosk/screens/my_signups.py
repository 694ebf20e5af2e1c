"""社区活动: the identified resident's sign-ups (a place, or the waiting list and the position) —
each with a button to cancel it."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import N_, _
from kiosk.records import Signup
from kiosk.ui.widgets import KioskButton, KLabel

from .choices import ChoicesScreen


def state_words(signup: Signup) -> str:
    if signup.state == "waiting":
        return _("Waiting list, number {position}").format(position=signup.position or "?")
    if signup.state == "checked_in":
        return _("Checked in")
    return _("Signed up")


class MySignupsScreen(ChoicesScreen):  # the layout is ChoicesScreen's (choices.kv)
    columns = (2, 1)

    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Community activities: my sign-ups")

    def render(self) -> None:
        signups = self.flow.state.activities.signups
        self.ids.prompt.text = (_("Your sign-ups. You can cancel one you cannot go to.") if signups
                                else _("You have not signed up for any activity."))
        self.ids.note.text = ""
        self.rebuild_if(tuple((s.id, s.state, s.position) for s in signups), lambda: self._build(signups))

    def _build(self, signups: list[Signup]) -> None:
        for signup in signups:
            self.ids.grid.add_widget(KLabel(
                aid=f"signup_{signup.id}", size_hint_y=None,
                text=f"{signup.title} · {signup.when}\n{state_words(signup)}"))
            cancel = KioskButton(aid=f"cancel_{signup.id}", kind="secondary", text=_("Cancel it"),
                                 disabled=signup.state == "checked_in")
            cancel.bind(on_release=lambda _b, sid=signup.id: self.flow.activities.cancel(sid))
            self.ids.grid.add_widget(cancel)
