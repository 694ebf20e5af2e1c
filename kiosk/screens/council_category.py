"""小区议事堂, raising a proposal, step 1: what is it about? The council's categories as tiles."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import N_, _, translator
from kiosk.ui import theme
from kiosk.ui.images import image
from kiosk.ui.widgets import Tile

from .choices import ChoicesScreen


class CouncilCategoryScreen(ChoicesScreen):  # the layout is ChoicesScreen's (choices.kv)
    columns = (3, 2)

    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Compound council: raise a proposal")

    def render(self) -> None:
        draft = self.flow.state.council
        self.ids.prompt.text = _("What is your proposal about?")
        self.ids.note.text = "" if self.flow.state.elderly else _(
            "Your neighbours can support it; with enough support the council takes it up.")
        self.rebuild_if(tuple(c.code for c in draft.categories), self._build)

    def _build(self) -> None:
        draft = self.flow.state.council
        height = theme.px(215) if self.flow.state.elderly else theme.px(188)
        for category in draft.categories:
            found = draft.phrases.get(category.code)
            tile = Tile(aid=f"council_category_{category.code}", title=translator.pick(category.name),
                        icon=image(f"{found.icon}.png") if found and found.icon else "",
                        size_hint_y=None, height=height)
            tile.bind(on_release=lambda _t, code=category.code: self.flow.council.choose_category(code))
            self.ids.grid.add_widget(tile)
