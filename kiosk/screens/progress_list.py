"""进度查询: the identified resident's requests, newest first — touch one to see its history."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import N_, _, translator
from kiosk.ui import theme
from kiosk.ui.widgets import Tile

from .choices import ChoicesScreen


class ProgressListScreen(ChoicesScreen):  # the layout is ChoicesScreen's (choices.kv)
    columns = (1, 1)

    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Check progress: your requests")

    def render(self) -> None:
        tickets = self.flow.state.progress.tickets
        self.ids.prompt.text = (_("Your requests. Touch one to see how it is going.") if tickets
                                else _("You have no requests at this community's stations."))
        self.ids.note.text = ""
        self.rebuild_if(tuple((t.ticket_no, t.state) for t in tickets), lambda: self._build(tickets))

    def _build(self, tickets: list[Any]) -> None:
        for ticket in tickets:
            tile = Tile(aid=f"ticket_{ticket.ticket_no}", size_hint_y=None, height=theme.px(150),
                        title=f"{translator.pick(ticket.category_name)} · {ticket.submitted_at[:10]}",
                        note=translator.pick(ticket.status_words))
            tile.bind(on_release=lambda _t, no=ticket.ticket_no: self.flow.progress.show(no))
            self.ids.grid.add_widget(tile)
