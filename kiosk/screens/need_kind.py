"""物资需求登记: what does the household need? Big buttons, one per kind the station offers (food,
medicine, a medical visit, elderly care, other)."""

from __future__ import annotations

from functools import partial
from typing import Any

from kiosk.i18n import N_, _, translator

from .choices import ChoicesScreen


class NeedKindScreen(ChoicesScreen):  # the layout is ChoicesScreen's (choices.kv)
    columns = (2, 1)

    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Request supplies")

    def render(self) -> None:
        self.ids.prompt.text = _("What does your household need?")
        self.ids.note.text = ""
        kinds = self.flow.emergency.need.kinds
        self.rebuild_if(kinds, lambda: self._build(kinds))

    def _build(self, kinds: tuple[Any, ...]) -> None:
        need = self.flow.emergency.need
        for kind in kinds:
            self.add_button(f"need_kind_{kind.code}", translator.pick(kind.name),
                            partial(need.choose_kind, kind.code), kind="primary")
