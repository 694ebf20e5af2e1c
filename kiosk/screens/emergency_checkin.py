"""Emergency mode: an identified volunteer checks in to a task group (big buttons); then which
group they are in."""

from __future__ import annotations

from functools import partial
from typing import Any

from kiosk.i18n import N_, _, translator
from kiosk.ui.widgets import KioskButton

from .choices import ChoicesScreen


class EmergencyCheckinScreen(ChoicesScreen):  # the layout is ChoicesScreen's (choices.kv)
    columns = (2, 1)

    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Volunteer check-in")
        self.can_back = False

    def render(self) -> None:
        info, checkin = self.flow.state.emergency, self.flow.state.volunteer.checkin
        if checkin is None:
            self.ids.prompt.text = _("Which task group are you reporting to?")
            self.ids.note.text = ""
        else:
            self.ids.prompt.text = _("Checked in: {group}").format(group=translator.pick(checkin.group_name))
            self.ids.note.text = _("Thank you. Please report to your group leader.")
        groups = info.task_groups if info and checkin is None else ()
        self.rebuild_if((groups, checkin is None), lambda: self._build(groups))

    def _build(self, groups: tuple[Any, ...]) -> None:
        journey = self.flow.emergency
        for group in groups:
            self.add_button(f"group_{group.code}", translator.pick(group.name),
                            partial(journey.choose_group, group.code), kind="primary")
        footer = self.ids.footer
        footer.clear_widgets()
        done = KioskButton(aid="emergency_finish", text=_("Finish"))
        done.bind(on_release=lambda _b: journey.finish())
        footer.add_widget(done)
