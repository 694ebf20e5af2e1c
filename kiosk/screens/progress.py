"""进度查询: one request — its number, what and where, how it stands now, and every step so far
in plain words (newest first); a closed request can be rated from here."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import N_, _, translator
from kiosk.ui.widgets import KLabel

from .base import KioskScreen, load_kv
from .request_done import local_time

load_kv(__file__)


class ProgressScreen(KioskScreen):
    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Check progress")

    def render(self) -> None:
        ticket, ids = self.flow.state.progress.ticket, self.ids
        ids.number.text = _("Request No. {number}").format(number=ticket.ticket_no) if ticket else ""
        ids.about.text = (f"{translator.pick(ticket.category_name)} · {translator.pick(ticket.place)}"
                          if ticket else "")
        status = translator.pick(ticket.status_words) if ticket else ""
        ids.status.text = _("Now: {status}").format(status=status) if ticket else ""
        box = ids.history
        box.clear_widgets()
        for index, step in enumerate(reversed(ticket.history) if ticket else ()):
            box.add_widget(KLabel(aid=f"history_{index}",
                                  text=f"{local_time(step.at)}   {translator.pick(step.words)}"))
        can_rate = bool(ticket and ticket.can_rate)
        ids.rate.opacity, ids.rate.disabled = (1, False) if can_rate else (0, True)
        follow_up = bool(ticket and ticket.follow_up)
        ids.rate.text = _("Rate it once more") if follow_up else _("Rate how it was handled")
