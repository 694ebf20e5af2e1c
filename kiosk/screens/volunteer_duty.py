"""志愿者签到: the volunteer found, their open duty, and big buttons — one per duty kind to sign in,
or one to sign out of the open duty; their hours this month. Someone not in the volunteer register
is told so, and what to do."""

from __future__ import annotations

from functools import partial
from typing import Any

from kiosk.i18n import N_, _, translator
from kiosk.ui.widgets import KioskButton

from .choices import ChoicesScreen


def clock_time(iso: str) -> str:
    """2026-12-04T09:05:00+08:00 -> 09:05 (the station gives its local time)."""
    return iso[11:16] if len(iso) >= 16 else iso


class VolunteerDutyScreen(ChoicesScreen):  # the layout is ChoicesScreen's (choices.kv)
    columns = (2, 1)

    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Volunteer sign-in")
        self.can_back = False

    def render(self) -> None:
        found = self.flow.state.volunteer
        info = found.info
        ids = self.ids
        if info is None:
            ids.prompt.text = _("You are not in the volunteer register")
            ids.note.text = (translator.pick(found.problem) if found.problem
                             else _("To become a volunteer, please ask at the community service desk."))
        elif info.open_duty is None:
            ids.prompt.text = _("Hello, {name}. Which duty are you starting?").format(name=info.name)
            ids.note.text = _("Touch a duty to sign in. A slip will be printed.")
        else:
            duty = info.open_duty
            ids.prompt.text = _("Hello, {name}. You are on duty.").format(name=info.name)
            ids.note.text = _("{duty} since {time}. Touch Sign out when you finish.").format(
                duty=translator.pick(duty.kind_name), time=clock_time(duty.started_at))
        key = (info is None, info.open_duty.id if info and info.open_duty else None,
               tuple(k.code for k in found.kinds))
        self.rebuild_if(key, self._build)

    def _build(self) -> None:
        found, footer = self.flow.state.volunteer, self.ids.footer
        journey = self.flow.volunteers
        footer.clear_widgets()
        info = found.info
        if info is not None and info.open_duty is None:
            for kind in found.kinds:
                self.add_button(f"duty_{kind.code}", translator.pick(kind.name),
                                partial(journey.sign_in, kind.code), kind="primary")
        elif info is not None:
            self.add_button("duty_sign_out", _("Sign out"), journey.sign_out, kind="primary")
        if info is not None:
            hours = KioskButton(aid="volunteer_hours", kind="secondary", text=_("My hours this month"))
            hours.bind(on_release=lambda _b: journey.show_hours())
            footer.add_widget(hours)
        done = KioskButton(aid="volunteer_finish", text=_("Finish"), size_hint_x=0.6)
        done.bind(on_release=lambda _b: journey.finish())
        footer.add_widget(done)
