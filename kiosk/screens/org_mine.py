"""社区组织: the identified resident's filings — each with where it stands (审核中 / 需补充 / 已通过 /
未通过), the application number and, where staff gave one, the reason."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import N_, _
from kiosk.journeys.organisations import state_words
from kiosk.records.organisations import Organisation
from kiosk.ui.widgets import InfoCard

from .choices import ChoicesScreen


class OrgMineScreen(ChoicesScreen):  # the layout is ChoicesScreen's (choices.kv)
    columns = (1, 1)

    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Community organisations: my applications")

    def render(self) -> None:
        mine = self.flow.state.organisations.mine
        self.ids.prompt.text = (_("Your filings and where each stands") if mine
                                else _("You have not filed an organisation."))
        self.ids.note.text = ""
        self.rebuild_if(tuple((o.id, o.state) for o in mine), lambda: self._build(mine))

    def _build(self, mine: list[Organisation]) -> None:
        for filing in mine:
            note = _("Application number: {number}").format(number=filing.id)
            if filing.reason:
                note += "\n" + _("Reason: {reason}").format(reason=filing.reason)
            self.ids.grid.add_widget(InfoCard(
                aid=f"org_mine_{filing.id}", tone="notice" if filing.state == "more_info" else "plain",
                title=f"{filing.name} · {_(state_words(filing))}", note=note))
