"""我要反映: what happened? Ready phrases of the category (touch to choose, touch again to drop)
and, if the resident wants, a few words of their own on the pinyin keyboard."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import N_, _, translator
from kiosk.ui.widgets import ChoiceButton, KioskButton

from .choices import ChoicesScreen


class RequestDescribeScreen(ChoicesScreen):  # the layout is ChoicesScreen's (choices.kv)
    columns = (2, 1)

    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Requests: what happened?")
        self._buttons: dict[str, ChoiceButton] = {}

    def render(self) -> None:
        draft = self.flow.state.request
        self.ids.prompt.text = _("What happened? Choose one or more, or write a few words.")
        shown = draft.text if len(draft.text) <= 60 else draft.text[:60] + "…"
        self.ids.note.text = _("You wrote: {text}").format(text=shown) if draft.text else ""
        category = draft.category
        self.rebuild_if(category.code if category else None, self._build)
        for code, button in self._buttons.items():
            button.chosen = code in draft.phrases
        self._footer()

    def _build(self) -> None:
        category = self.flow.state.request.category
        self._buttons = {}
        for phrase in category.phrases if category else ():
            button = ChoiceButton(aid=f"phrase_{phrase.code}", label=translator.pick(phrase.text))
            button.bind(on_release=lambda _b, code=phrase.code: self.flow.requests.toggle_phrase(code))
            self.ids.grid.add_widget(button)
            self._buttons[phrase.code] = button

    def _footer(self) -> None:
        footer = self.ids.footer
        if not footer.children:
            write = KioskButton(aid="describe_write", kind="secondary")
            write.bind(on_release=lambda _b: self.flow.requests.write_text())
            done = KioskButton(aid="describe_next", size_hint_x=0.6)
            done.bind(on_release=lambda _b: self.flow.requests.description_done())
            footer.add_widget(write)
            footer.add_widget(done)
        write, done = footer.children[1], footer.children[0]
        write.text = _("Change my words") if self.flow.state.request.text else _("Write a few words")
        done.text = _("Next")
        done.disabled = not self.flow.requests.described
