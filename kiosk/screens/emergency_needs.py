"""Emergency mode: the identified household's requests for supplies (物资需求), newest first, each
with what it is, how urgent, when, and the platform's status (待接单 / 已接单 / 已送达)."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import N_, _, translator
from kiosk.ui import theme
from kiosk.ui.widgets import KioskButton, Tile

from .choices import ChoicesScreen


class EmergencyNeedsScreen(ChoicesScreen):  # the layout is ChoicesScreen's (choices.kv)
    columns = (1, 1)

    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("My requests for supplies")
        self.can_back = False

    def render(self) -> None:
        needs = self.flow.state.volunteer.needs
        self.ids.prompt.text = (_("Your household's requests for supplies, and how each is going.") if needs
                                else _("Your household has no requests for supplies at this station."))
        self.ids.note.text = ""
        self.rebuild_if(tuple((n.need_no, n.state_words) for n in needs), lambda: self._build(needs))

    def _build(self, needs: list[Any]) -> None:
        for need in needs:
            title = " · ".join((translator.pick(need.kind_name), translator.pick(need.urgency_name),
                                need.submitted_at[5:16].replace("T", " ")))
            self.ids.grid.add_widget(Tile(aid=f"need_{need.need_no}", size_hint_y=None, height=theme.px(150),
                                          title=title, note=translator.pick(need.state_words)))
        footer = self.ids.footer
        footer.clear_widgets()
        done = KioskButton(aid="emergency_finish", text=_("Finish"))
        done.bind(on_release=lambda _b: self.flow.emergency.finish())
        footer.add_widget(done)
