"""我要反映, step 1: what is it about? A grid of big tiles, each a picture and a name, with how long
a reply usually takes."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import N_, _, translator
from kiosk.ui import theme
from kiosk.ui.images import image
from kiosk.ui.widgets import Tile

from .choices import ChoicesScreen


class RequestCategoryScreen(ChoicesScreen):  # the layout is ChoicesScreen's (choices.kv)
    columns = (4, 2)

    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Requests: what is it about?")

    def render(self) -> None:
        self.ids.prompt.text = _("What would you like to report?")
        self.ids.note.text = "" if self.flow.state.elderly else _("Touch the picture that fits best.")
        categories = self.flow.state.request.categories
        self.rebuild_if(tuple(c.code for c in categories), lambda: self._build(categories))

    def _build(self, categories: list[Any]) -> None:
        height = theme.px(215) if self.flow.state.elderly else theme.px(188)
        for category in categories:
            tile = Tile(aid=f"category_{category.code}", title=translator.pick(category.name),
                        note=_("Reply in about {time}").format(time=translator.pick(category.usual_reply)),
                        icon=image(f"{category.icon}.png"), size_hint_y=None, height=height)
            tile.bind(on_release=lambda _t, code=category.code: self.flow.requests.choose_category(code))
            self.ids.grid.add_widget(tile)
