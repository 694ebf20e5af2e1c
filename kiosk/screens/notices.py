"""Notices: the community's notices from the platform (through the station; none: said plainly)."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import N_, _, translator
from kiosk.ui.widgets import InfoCard

from .base import KioskScreen, load_kv

load_kv(__file__)


class NoticesScreen(KioskScreen):
    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Notices")
        self.voice = ""

    def render(self) -> None:
        box = self.ids.notices
        box.clear_widgets()
        for index, notice in enumerate(self.flow.state.notices[:4]):
            box.add_widget(InfoCard(aid=f"notice_{index}", title=translator.pick(notice.title),
                                    note=translator.pick(notice.body)))
        if not self.flow.state.notices:
            box.add_widget(InfoCard(aid="no_notices", title=_("No community notices today."),
                                    note=_("Notices from your community will appear here.")))
