"""信酬制 for someone who is not an owner in a compound that publishes: only which compounds publish
their accounts (the details are for that compound's owners)."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import N_, _, translator
from kiosk.ui.widgets import KLabel

from .choices import ChoicesScreen


class AccountsPublicScreen(ChoicesScreen):  # the layout is ChoicesScreen's (choices.kv)
    columns = (1, 1)

    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Open accounts")

    def render(self) -> None:
        publishing = self.flow.state.accounts.publishing
        self.ids.prompt.text = _("Only owners in a compound can see its accounts in detail.")
        self.ids.note.text = (_("These compounds publish their income and spending every month:")
                              if publishing else _("No compound here publishes its accounts yet."))
        self.rebuild_if(tuple(p.compound for p in publishing), lambda: self._build(publishing))

    def _build(self, publishing: list[Any]) -> None:
        for found in publishing:
            self.ids.grid.add_widget(KLabel(
                aid=f"publishes_{found.compound}", size_hint_y=None,
                text=_("{compound}: published up to {month}").format(
                    compound=translator.pick(found.name), month=found.latest_month)))
