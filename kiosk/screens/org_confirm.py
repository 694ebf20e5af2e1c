"""申请备案: check before sending — the kind, name, leader, phone (masked), members and usual
activities; Change goes back to the form, Send files it and prints the slip."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import N_, _, translator
from kiosk.ui.widgets import InfoCard, KioskButton

from .choices import ChoicesScreen
from .org_form import LABELS
from .request_contact import masked_phone


class OrgConfirmScreen(ChoicesScreen):  # the layout is ChoicesScreen's (choices.kv)
    columns = (1, 1)

    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("File an organisation")
        self._change = KioskButton(aid="org_change", kind="secondary")
        self._change.bind(on_release=lambda _b: self.flow.back())
        self._send = KioskButton(aid="org_send")
        self._send.bind(on_release=lambda _b: self.flow.organisations.submit())
        self.ids.footer.add_widget(self._change)
        self.ids.footer.add_widget(self._send)

    def render(self) -> None:
        journey, identity = self.flow.organisations, self.flow.state.identity
        draft = journey.draft
        self.ids.prompt.text = _("Please check your filing")
        self.ids.note.text = _("The community will review it; the slip shows your application number.")
        self._change.text = _("Change")
        self._send.text = _("Send the filing")
        kind = translator.pick(journey.kind_name(draft.kind))
        lines = (
            (N_("Leader"), identity.name if identity else ""),
            (LABELS["phone"], masked_phone(draft.phone)),
            (LABELS["members"], draft.members),
            (LABELS["activities"], draft.activities),
        )
        colon = "：" if translator.lang.startswith("zh") else ": "
        note = "\n".join(f"{_(label)}{colon}{value}" for label, value in lines)
        shown = (f"{draft.name} · {kind}", note)
        self.rebuild_if(shown, lambda: self.ids.grid.add_widget(
            InfoCard(aid="org_confirm_card", title=shown[0], note=shown[1])))
