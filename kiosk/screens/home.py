"""Home: big tiles, one per service. In this version Certificates works; the other tiles say
plainly that they are not available yet."""

from __future__ import annotations

from typing import Any

from kivy.clock import Clock

from kiosk.i18n import N_, _, translator
from kiosk.ui.images import image
from kiosk.ui.widgets import Tile

from .base import KioskScreen, load_kv

load_kv(__file__)

CERTIFICATES = "certificates"
# (service code, title msgid, what it does msgid, icon)
TILES: tuple[tuple[str, str, str, str], ...] = (
    (CERTIFICATES, N_("Certificates"), N_("Print a certificate with your ID card"), "certificate"),
    ("requests", N_("Requests & complaints"), "", "requests"),
    ("progress", N_("Check progress"), "", "progress"),
    ("verify", N_("Verify a certificate"), "", "verify"),
    ("notices", N_("Notices"), "", "notices"),
    ("help", N_("Help"), "", "help"),
)
NOT_YET = N_("Not available yet")

# Why the certificate service is stopped, by the status code of the component that stops it.
BLOCKED: dict[str, str] = {
    "MEDIA_EMPTY": N_("Paused: the printer is out of paper"),
    "MEDIA_JAMMED": N_("Paused: the printer's paper is jammed"),
    "COVER_OPEN": N_("Paused: the printer cover is open"),
}
BLOCKED_DEFAULT = N_("Paused for maintenance")
NOTICE_SECONDS = 6.0


class HomeScreen(KioskScreen):
    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("24-hour Community Service Station")
        self.can_back, self.can_home = False, False
        self.nav_note = N_("Open 24 hours · Help: call 12345")
        self._tiles: dict[str, Tile] = {}
        self._notice_event: Any = None
        for code, _title, _note, icon in TILES:
            tile = Tile(aid=f"tile_{code}", icon=image(f"tile_{icon}.png"))
            tile.bind(on_release=lambda _t, c=code: self._pressed(c))
            self.ids.tiles.add_widget(tile)
            self._tiles[code] = tile

    def render(self) -> None:
        for code, title, note, _icon_name in TILES:
            tile = self._tiles[code]
            tile.title = _(title)
            if code == CERTIFICATES:
                tile.available = self.flow.certificates_available()
                tile.note = _(note) if tile.available else _(self._why_not())
            else:
                tile.available, tile.note = False, _(NOT_YET)
        station = self.flow.state.station
        self.ids.station_name.text = station.name.get(translator.lang) if station else ""

    def _why_not(self) -> str:
        station = self.flow.state.station
        if station is None:
            return N_("Connecting to the station…")
        service = station.service(CERTIFICATES)
        codes = [code for _component, code in service.blocking] if service else []
        if service is not None and service.state == "SUSPENDED":
            return BLOCKED_DEFAULT
        return next((BLOCKED[c] for c in codes if c in BLOCKED), BLOCKED_DEFAULT)

    def _pressed(self, code: str) -> None:
        if code == CERTIFICATES and self.flow.certificates_available():
            self._show_notice("")
            self.flow.start()
        elif code == CERTIFICATES:
            self._show_notice(N_("Certificates cannot be printed right now. Please try again later "
                                 "or ask the staff."))
        else:
            self._show_notice(N_("This service is not available at the kiosk yet. Please call 12345 "
                                 "or visit the community service desk."))

    def _show_notice(self, msgid: str) -> None:
        self.ids.notice.text = _(msgid) if msgid else ""
        if self._notice_event is not None:
            self._notice_event.cancel()
        if msgid:
            self._notice_event = Clock.schedule_once(lambda _dt: self._show_notice(""), NOTICE_SECONDS)

    def on_leave(self, *_args: Any) -> None:
        self._show_notice("")
