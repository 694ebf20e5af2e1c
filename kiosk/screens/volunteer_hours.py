"""志愿者签到: the volunteer's own record of hours this month, printed on request."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import N_, _
from kiosk.ui.widgets import KioskButton, KLabel

from .choices import ChoicesScreen


class VolunteerHoursScreen(ChoicesScreen):  # the layout is ChoicesScreen's (choices.kv)
    columns = (1, 1)

    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Volunteer sign-in: my hours")
        self.can_back = False

    def render(self) -> None:
        found = self.flow.state.volunteer
        record = found.hours
        if record is None:
            return
        self.ids.prompt.text = _("{month}: {count} duties, {hours} hours").format(
            month=record.month, count=record.duties, hours=record.hours)
        self.ids.note.text = (_("Please take your slip from the slot below the screen.")
                              if found.hours_printed else "")
        self.rebuild_if((record.month, record.slip), self._build)
        print_it = self.ids.footer.children[1] if len(self.ids.footer.children) > 1 else None
        if print_it is not None:
            print_it.disabled = found.hours_printed

    def _build(self) -> None:
        record, footer = self.flow.state.volunteer.hours, self.ids.footer
        journey = self.flow.volunteers
        footer.clear_widgets()
        for number, line in enumerate(record.slip[3:] if record else ()):
            self.ids.grid.add_widget(KLabel(aid=f"hours_line_{number}", text=line))
        print_it = KioskButton(aid="hours_print", kind="secondary", text=_("Print my hours"))
        print_it.bind(on_release=lambda _b: journey.print_hours())
        done = KioskButton(aid="volunteer_finish", text=_("Finish"), size_hint_x=0.6)
        done.bind(on_release=lambda _b: journey.finish())
        footer.add_widget(print_it)
        footer.add_widget(done)
