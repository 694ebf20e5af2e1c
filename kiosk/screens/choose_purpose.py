"""Choose what the certificate is for: one big button per purpose."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import N_, _, translator
from kiosk.ui.widgets import KioskButton

from .base import KioskScreen, load_kv

load_kv(__file__)


class ChoosePurposeScreen(KioskScreen):
    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Certificates: what is it for?")

    def render(self) -> None:
        kind = self.flow.state.cert_type
        self.ids.prompt.text = (_("What do you need the {name} for?").format(
            name=translator.pick(kind.name)) if kind else "")
        grid = self.ids.purposes
        grid.clear_widgets()
        for purpose in kind.purposes if kind else ():
            button = KioskButton(aid=f"purpose_{purpose.code}", text=translator.pick(purpose.name),
                                 kind="secondary" if purpose.code != self.flow.state.purpose else "primary")
            button.bind(on_release=lambda _b, code=purpose.code: self.flow.certificates.choose_purpose(code))
            grid.add_widget(button)
