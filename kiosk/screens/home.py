"""Home: at most six big tiles, one per service, each with an icon, a short label and a line saying
what it does or, when it cannot be used now, why (touching it explains and says what to do).
Elderly mode shows fewer, larger tiles: only the services this kiosk can take a resident through."""

from __future__ import annotations

from typing import Any

from kiosk.availability import KIOSK_READY, SERVICES, availability
from kiosk.i18n import N_, _, translator
from kiosk.ui import theme
from kiosk.ui.images import image
from kiosk.ui.widgets import Tile

from .base import KioskScreen, load_kv

load_kv(__file__)


class HomeScreen(KioskScreen):
    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("24-hour Community Service Station")
        self.can_back, self.can_home = False, False
        self._tiles: dict[str, Tile] = {}
        for code, _title, _note, icon in SERVICES:
            tile = Tile(aid=f"tile_{code}", icon=image(f"tile_{icon}.png"))
            tile.bind(on_release=lambda _t, c=code: self.flow.choose_service(c))
            self._tiles[code] = tile
        self._elderly: bool | None = None

    def render(self) -> None:
        elderly = self.flow.state.elderly
        if elderly != self._elderly:
            self._lay_out(elderly)
        for code, title, note, _icon in SERVICES:
            tile, found = self._tiles[code], availability(self.flow.state.station, code)
            tile.title, tile.available = _(title), found.usable
            tile.note = _(note) if found.usable else _(found.why)
        station = self.flow.state.station
        self.ids.station_name.text = translator.pick(station.name) if station else ""
        emergency = self.flow.emergency.active  # 战时: the top bar's banner is the way to the emergency home
        self.ids.home_hours.text = (_("Emergency mode in this community") if emergency
                                    else _("Open 24 hours · Help: call 12345"))
        self.ids.home_hours.style = "danger" if emergency else "muted"
        self.ids.home_hours.shown = not emergency  # (the banner above says so, and the tiles need the room)
        self.ids.activities.text = _("Community activities")
        self.ids.community.text = _("Community life")

    def _lay_out(self, elderly: bool) -> None:
        self._elderly = elderly
        grid = self.ids.tiles
        grid.clear_widgets()
        sizes = theme.ELDERLY_SIZES if elderly else theme.NORMAL_SIZES
        grid.cols = sizes.tile_columns
        shown = [code for code, *_rest in SERVICES if not elderly or code in KIOSK_READY]
        for code in shown[: sizes.tiles]:
            grid.add_widget(self._tiles[code])
