"""小区议事堂, raising a proposal, step 2: the title and a few words — ready phrases of the category
(touch to choose, again to drop) and the resident's own words on the pinyin keyboard or the
handwriting pad (the 手写 key), as the requests' "describe" step."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import N_, _, translator
from kiosk.ui.widgets import ChoiceButton, KioskButton

from .choices import ChoicesScreen


def shortened(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


class CouncilWriteScreen(ChoicesScreen):  # the layout is ChoicesScreen's (choices.kv)
    columns = (2, 1)

    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Compound council: your proposal")
        self._buttons: dict[str, ChoiceButton] = {}
        self._title = KioskButton(aid="council_write_title", kind="secondary")
        self._title.bind(on_release=lambda _b: self.flow.council.write("title"))
        self._text = KioskButton(aid="council_write_text", kind="secondary")
        self._text.bind(on_release=lambda _b: self.flow.council.write("text"))
        self._next = KioskButton(aid="council_write_next", size_hint_x=0.6)
        self._next.bind(on_release=lambda _b: self.flow.council.write_done())
        for button in (self._title, self._text, self._next):
            self.ids.footer.add_widget(button)

    def render(self) -> None:
        draft = self.flow.state.council
        self.ids.prompt.text = _("Write a title, and choose or write what you propose.")
        said = [(_("Title: {text}").format(text=shortened(draft.title)) if draft.title else ""),
                (_("You wrote: {text}").format(text=shortened(draft.text)) if draft.text else "")]
        self.ids.note.text = "\n".join(filter(None, said))
        self.rebuild_if(draft.category, self._build)
        for code, button in self._buttons.items():
            button.chosen = code in draft.chosen
        self._title.text = _("Change the title") if draft.title else _("Write a title")
        self._text.text = _("Change my words") if draft.text else _("Write a few words")
        self._next.text = _("Next")
        self._next.disabled = not self.flow.council.composed()[0]

    def _build(self) -> None:
        self._buttons = {}
        for code, text in self.flow.council.phrases():
            button = ChoiceButton(aid=f"council_phrase_{code}", label=translator.pick(text))
            button.bind(on_release=lambda _b, c=code: self.flow.council.toggle_phrase(c))
            self.ids.grid.add_widget(button)
            self._buttons[code] = button
