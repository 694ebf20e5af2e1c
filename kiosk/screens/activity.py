"""社区活动: one activity — when, where, what, places left — and a button to sign up, or to join the
waiting list when it is full (after identifying with the ID card or the resident code)."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import N_, _
from kiosk.ui.widgets import KioskButton, KLabel

from .activities import places_line
from .choices import ChoicesScreen


class ActivityScreen(ChoicesScreen):  # the layout is ChoicesScreen's (choices.kv)
    columns = (1, 1)

    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Community activities")
        self._sign_up = KioskButton(aid="activity_sign_up")
        self._sign_up.bind(on_release=lambda _b: self.flow.activities.sign_up())
        self.ids.footer.add_widget(self._sign_up)

    def render(self) -> None:
        activity = self.flow.state.activities.activity
        if activity is None:
            return
        self.ids.prompt.text = activity.title
        self.ids.note.text = f"{activity.when_text} · {activity.place}"
        if not activity.signup_open:
            self._sign_up.text, self._sign_up.disabled = _("Sign-up is not open"), True
        elif activity.full:
            self._sign_up.text, self._sign_up.disabled = _("Join the waiting list"), False
        else:
            self._sign_up.text, self._sign_up.disabled = _("Sign up"), False
        self.rebuild_if((activity.id, activity.places_left), lambda: self._build(activity))

    def _build(self, activity: Any) -> None:
        for aid, text in (("activity_places", places_line(activity)),
                          ("activity_description", activity.description)):
            if text:
                self.ids.grid.add_widget(KLabel(aid=aid, text=text, size_hint_y=None))
