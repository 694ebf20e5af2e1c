"""申请备案: what kind of organisation is it? Big buttons, one per kind the station offers
(interest, volunteer, culture, sport, mutual aid, other)."""

from __future__ import annotations

from functools import partial
from typing import Any

from kiosk.i18n import N_, _, translator
from kiosk.records.organisations import OrgKind

from .choices import ChoicesScreen


class OrgKindScreen(ChoicesScreen):  # the layout is ChoicesScreen's (choices.kv)
    columns = (2, 1)

    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("File an organisation")

    def render(self) -> None:
        self.ids.prompt.text = _("What kind of organisation is it?")
        self.ids.note.text = _("You will be its leader.")
        kinds = tuple(self.flow.state.organisations.kinds)
        self.rebuild_if(kinds, lambda: self._build(kinds))

    def _build(self, kinds: tuple[OrgKind, ...]) -> None:
        journey = self.flow.organisations
        for kind in kinds:
            self.add_button(f"org_kind_{kind.code}", translator.pick(kind.name),
                            partial(journey.choose_kind, kind.code), kind="primary")
