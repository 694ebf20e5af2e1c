"""What the resident adds to the certificate: a month on the month keypad (租住证明: when the
tenancy began, not in the future), a school's name on the pinyin keyboard (贫困学生证明)."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import N_, _, translator
from kiosk.ui.widgets import KioskButton, KLabel

from .base import KioskScreen, load_kv

load_kv(__file__)


class CertFieldsScreen(KioskScreen):
    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Certificates: a few details")

    def render(self) -> None:
        state, box = self.flow.state, self.ids.fields
        box.clear_widgets()
        kind = state.cert_type
        for field in kind.resident_fields if kind else ():
            value = state.fields.get(field.name, "")
            box.add_widget(KLabel(aid=f"field_label_{field.name}", style="large",
                                  text=translator.pick(field.label)))
            shown = value.replace("-", " - ") if field.kind == "month" else value
            button = KioskButton(aid=f"field_{field.name}", kind="secondary",
                                 text=shown or _("Touch to enter"))
            button.bind(on_release=lambda _b, name=field.name: self.flow.certificates.edit_field(name))
            box.add_widget(button)
        self.ids.problem.text = _(state.field_problem) if state.field_problem else ""
        self.ids.next.disabled = not self.flow.certificates.fields_complete
