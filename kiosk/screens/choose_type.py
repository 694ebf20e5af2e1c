"""Choose the certificate: types the kiosk can issue are big buttons; the others are shown with
where to go instead (forbidden types with their alternative route), and cannot be chosen."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import N_, _, translator
from kiosk.records import CertificateType
from kiosk.ui import theme
from kiosk.ui.widgets import InfoCard, KLabel, Tile

from .base import KioskScreen, load_kv

load_kv(__file__)


class ChooseTypeScreen(KioskScreen):
    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Certificates: choose one")
        self._shown: tuple[tuple[str, ...], str] | None = None

    def render(self) -> None:
        types = self.flow.state.types
        key = (tuple(t.code for t in types), translator.lang)
        if key == self._shown:
            return  # same list, same language: keep the scroll position
        self._shown = key
        box = self.ids.types
        box.clear_widgets()
        for kind in [t for t in types if t.kiosk_ready]:
            box.add_widget(self._tile(kind))
        for kind in [t for t in types if not t.kiosk_ready and not t.forbidden]:
            box.add_widget(InfoCard(aid=f"type_{kind.code}", title=translator.pick(kind.name),
                                    note=_("Not available at this kiosk yet. Please apply at the "
                                           "community service desk.")))
        forbidden = [t for t in types if t.forbidden]
        if forbidden:
            box.add_widget(KLabel(aid="forbidden_heading", style="large",
                                  text=_("Communities no longer issue these. Where to go instead:")))
        for kind in forbidden:
            box.add_widget(InfoCard(aid=f"type_{kind.code}", tone="notice",
                                    title=translator.pick(kind.name),
                                    note=translator.pick(kind.alternative)))
        self.ids.scroller.scroll_y = 1

    def _tile(self, kind: CertificateType) -> Tile:
        note = (_("Staff approve it first; collect it later with your slip") if kind.approval
                else _("Valid for {days} days · printed at once").format(days=kind.validity_days))
        tile = Tile(aid=f"type_{kind.code}", title=translator.pick(kind.name), note=note,
                    size_hint_y=None, height=theme.px(130))
        tile.bind(on_release=lambda _t: self.flow.certificates.choose_type(kind.code))
        return tile

    def on_leave(self, *_args: Any) -> None:
        self._shown = None  # personal: a new visit starts from the top
