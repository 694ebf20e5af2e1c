"""小区议事堂, raising a proposal: check it before sending — compound, category, title, words, and the
photo (a small picture of it, or "no photo")."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import N_, _, translator
from kiosk.ui import theme as T
from kiosk.ui.widgets import KioskButton, KLabel, PictureImage

from .choices import ChoicesScreen
from .council import category_name, labelled


class CouncilConfirmScreen(ChoicesScreen):  # the layout is ChoicesScreen's (choices.kv)
    columns = (1, 1)

    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Compound council: check and send")
        self._send = KioskButton(aid="council_send")
        self._send.bind(on_release=lambda _b: self.flow.council.send())
        self.ids.footer.add_widget(self._send)

    def render(self) -> None:
        draft = self.flow.state.council
        self.ids.prompt.text = _("Please check your proposal.")
        self.ids.note.text = "" if self.flow.state.elderly else _(
            "Your household supports it from the start. Staff will read it; your neighbours can support it.")
        self._send.text = _("Send the proposal")
        title, text = self.flow.council.composed()
        lines = [
            (_("Compound: {value}"), translator.pick(draft.compound_name) if draft.compound_name else ""),
            (_("Category: {value}"), category_name(self.flow, draft.category)),
            (_("Title: {value}"), title),
            (_("Details: {value}"), text if len(text) <= 160 else text[:160] + "…"),
        ]
        photo = draft.photo
        self.rebuild_if((tuple(lines), photo), lambda: self._build(lines, photo))

    def _build(self, lines: list[tuple[str, str]], photo: bytes | None) -> None:
        said = [labelled(label, value) for label, value in lines if value]
        said.append(_("With a photo") if photo else _("No photo"))
        self.ids.grid.cols = 2 if photo else 1  # the picture beside the words, all in sight
        self.ids.grid.add_widget(KLabel(aid="council_confirm_lines", text="\n".join(said), style="large"))
        if photo:
            thumbnail = PictureImage(aid="council_confirm_photo", size_hint=(None, None),
                                     size=(T.px(320), T.px(240)), fit_mode="contain")
            thumbnail.show_jpeg(photo)
            self.ids.grid.add_widget(thumbnail)
