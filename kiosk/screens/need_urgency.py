"""物资需求登记: how urgent is it? One big button per urgency the station offers."""

from __future__ import annotations

from functools import partial
from typing import Any

from kiosk.i18n import N_, _, translator

from .choices import ChoicesScreen


class NeedUrgencyScreen(ChoicesScreen):  # the layout is ChoicesScreen's (choices.kv)
    columns = (2, 1)

    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Request supplies")

    def render(self) -> None:
        need = self.flow.emergency.need
        kind = next((k for k in need.kinds if k.code == need.draft.kind), None)
        self.ids.prompt.text = _("How urgent is it?")
        self.ids.note.text = _("You need: {kind}").format(kind=translator.pick(kind.name)) if kind else ""
        urgencies = need.urgencies
        self.rebuild_if(urgencies, lambda: self._build(urgencies))

    def _build(self, urgencies: tuple[Any, ...]) -> None:
        need = self.flow.emergency.need
        for urgency in urgencies:
            self.add_button(f"need_urgency_{urgency.code}", translator.pick(urgency.name),
                            partial(need.choose_urgency, urgency.code), kind="primary")
