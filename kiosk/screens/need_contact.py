"""物资需求登记: a phone number to reach the household (the phone keypad) and, if wanted, ready
phrases for the building leader (touch to choose, touch again to drop); then send."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import N_, _
from kiosk.journeys.emergency_need import NEED_PHRASES
from kiosk.ui.widgets import ChoiceButton, KioskButton

from .choices import ChoicesScreen
from .request_contact import masked_phone


class NeedContactScreen(ChoicesScreen):  # the layout is ChoicesScreen's (choices.kv)
    columns = (2, 1)

    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Request supplies")
        self._phone: KioskButton | None = None
        self._buttons: dict[str, ChoiceButton] = {}

    def render(self) -> None:
        need = self.flow.emergency.need
        draft = need.draft
        self.ids.prompt.text = _("Your phone number, so the volunteers can reach you")
        self.ids.note.text = _("Anything else? Choose what fits (optional).")
        self.rebuild_if("need_contact", self._build)
        if self._phone is not None:
            self._phone.text = (masked_phone(draft.phone) if draft.phone
                                else _("Touch to enter your phone number"))
        for code, button in self._buttons.items():
            button.chosen = code in draft.phrases
        self._footer(need.complete)

    def _build(self) -> None:
        need = self.flow.emergency.need
        self._phone = self.add_button("need_phone", "", need.enter_phone, kind="primary")
        self._buttons = {}
        for code, msgid in NEED_PHRASES.items():
            button = ChoiceButton(aid=f"need_phrase_{code}", label=_(msgid))
            button.bind(on_release=lambda _b, code=code: need.toggle_phrase(code))
            self.ids.grid.add_widget(button)
            self._buttons[code] = button

    def _footer(self, complete: bool) -> None:
        footer = self.ids.footer
        if not footer.children:
            send = KioskButton(aid="need_send")
            send.bind(on_release=lambda _b: self.flow.emergency.need.submit())
            footer.add_widget(send)
        send = footer.children[0]
        send.text = _("Send my request for supplies")
        send.disabled = not complete
