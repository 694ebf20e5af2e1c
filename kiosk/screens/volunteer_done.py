"""志愿者签到: signed in or out — the duty, its times (and hours), and the slip to take."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import N_, _, translator
from kiosk.ui.widgets import KioskButton, KLabel

from .choices import ChoicesScreen
from .volunteer_duty import clock_time


class VolunteerDoneScreen(ChoicesScreen):  # the layout is ChoicesScreen's (choices.kv)
    columns = (1, 1)

    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Volunteer sign-in")
        self.can_back = False

    def render(self) -> None:
        duty = self.flow.state.volunteer.duty
        if duty is None:
            return
        kind = translator.pick(duty.kind_name)
        if duty.ended_at is None:
            self.ids.prompt.text = _("Signed in: {duty} at {time}").format(
                duty=kind, time=clock_time(duty.started_at))
        else:
            self.ids.prompt.text = _("Signed out: {duty}, {start}–{end}, {hours} hours").format(
                duty=kind, start=clock_time(duty.started_at), end=clock_time(duty.ended_at), hours=duty.hours)
        self.ids.note.text = _("Please take your slip from the slot below the screen.")
        self.rebuild_if((duty.id, duty.ended_at), self._build)

    def _build(self) -> None:
        duty, footer = self.flow.state.volunteer.duty, self.ids.footer
        journey = self.flow.volunteers
        footer.clear_widgets()
        for number, line in enumerate(duty.slip[1:] if duty else ()):
            self.ids.grid.add_widget(KLabel(aid=f"duty_slip_{number}", text=line))
        hours = KioskButton(aid="volunteer_hours", kind="secondary", text=_("My hours this month"))
        hours.bind(on_release=lambda _b: journey.show_hours())
        done = KioskButton(aid="volunteer_finish", text=_("Finish"), size_hint_x=0.6)
        done.bind(on_release=lambda _b: journey.finish())
        footer.add_widget(hours)
        footer.add_widget(done)
