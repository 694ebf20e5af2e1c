"""物资需求登记: registered — the need's number (to follow it under 我的物资需求) and the slip."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import N_, _, translator
from kiosk.ui.widgets import KioskButton

from .choices import ChoicesScreen


class NeedDoneScreen(ChoicesScreen):  # the layout is ChoicesScreen's (choices.kv)
    columns = (1, 1)

    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Request supplies")
        self.can_back = False

    def render(self) -> None:
        need = self.flow.state.volunteer.need.registered
        self.ids.prompt.text = (_("Registered. Your number: {number}").format(number=need.need_no)
                                if need else "")
        take = _("Please take your slip from the slot below the screen.")
        status = _("Now: {status}").format(status=translator.pick(need.state_words)) if need else ""
        self.ids.note.text = f"{take} {status}".strip()
        self.rebuild_if(need.need_no if need else None, self._build)

    def _build(self) -> None:
        footer = self.ids.footer
        footer.clear_widgets()
        done = KioskButton(aid="emergency_finish", text=_("Finish"))
        done.bind(on_release=lambda _b: self.flow.emergency.finish())
        footer.add_widget(done)
