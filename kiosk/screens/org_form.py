"""申请备案: the organisation's name, the leader's phone, how many members and what it usually
does — one big button each, opening the keyboard (pinyin or handwriting; the keypad for numbers)
and then showing what was entered."""

from __future__ import annotations

from functools import partial
from typing import Any

from kiosk.i18n import N_, _, translator
from kiosk.journeys.organisations import PROMPTS
from kiosk.ui.widgets import KioskButton

from .choices import ChoicesScreen
from .request_contact import masked_phone

LABELS = {"name": N_("Organisation name"), "phone": N_("Phone"), "members": N_("Members"),
          "activities": N_("Usual activities")}
SHOWN = (16, 9)  # characters of a long entry shown on its button (normal, elderly mode)


class OrgFormScreen(ChoicesScreen):  # the layout is ChoicesScreen's (choices.kv)
    columns = (2, 2)  # all four lines in view, in elderly mode too (no scrolling to find one)

    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("File an organisation")
        self._buttons: dict[str, KioskButton] = {}
        self._next = KioskButton(aid="org_form_next")
        self._next.bind(on_release=lambda _b: self.flow.organisations.review())
        self.ids.footer.add_widget(self._next)

    def render(self) -> None:
        journey = self.flow.organisations
        self.ids.prompt.text = _("Touch each line to fill it in")
        kind = journey.kind_name(journey.draft.kind)
        self.ids.note.text = _("Kind: {kind}").format(kind=translator.pick(kind))
        self.rebuild_if("org_form", self._build)
        for name, button in self._buttons.items():
            button.text = self._line(name)
        self._next.text = _("Next")
        self._next.disabled = bool(journey.missing)

    def _line(self, name: str) -> str:
        value = str(getattr(self.flow.organisations.draft, name))
        if not value:
            return _("{label}: touch to enter").format(label=_(LABELS[name]))
        shown = SHOWN[1] if self.flow.state.elderly else SHOWN[0]
        if name == "phone":
            value = masked_phone(value)
        elif len(value) > shown:
            value = value[:shown] + "…"
        return f"{_(LABELS[name])}\n{value}"  # (the label above what was entered)

    def _build(self) -> None:
        journey = self.flow.organisations
        self._buttons = {}
        for name in PROMPTS:
            self._buttons[name] = self.add_button(f"org_field_{name}", "", partial(journey.enter, name))
