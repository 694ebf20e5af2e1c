"""What the list-of-choices screens share: a question, a line under it, a scrolling grid of big
buttons or tiles (``ids.grid``), and a row of buttons below (``ids.footer``). Subclasses fill them
in ``render`` and rebuild only when what they show changed (so the scroll position stays)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from kiosk.i18n import translator
from kiosk.ui.widgets import KioskButton

from .base import KioskScreen, load_kv

load_kv(__file__)


class ChoicesScreen(KioskScreen):
    columns = (2, 1)  # grid columns in the normal and the elderly mode

    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self._shown: Hashable = None

    def rebuild_if(self, key: Hashable, build: Callable[[], None]) -> None:
        """Rebuild the grid when ``key`` (what it shows, the language, the mode) changed."""
        full = (key, translator.lang, self.flow.state.elderly)
        if full == self._shown:
            return
        self._shown = full
        self.ids.grid.clear_widgets()
        self.ids.grid.cols = self.columns[1] if self.flow.state.elderly else self.columns[0]
        build()
        self.ids.scroller.scroll_y = 1

    def add_button(self, aid: str, text: str, action: Callable[[], None], *,
                   kind: str = "secondary") -> KioskButton:
        button = KioskButton(aid=aid, text=text, kind=kind)
        button.bind(on_release=lambda _b: action())
        self.ids.grid.add_widget(button)
        return button

    def on_leave(self, *_args: Any) -> None:
        self._shown = None  # personal: the next visit starts afresh
