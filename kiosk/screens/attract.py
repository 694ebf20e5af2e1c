"""Attract: what shows while nobody is using the kiosk — the station's name, the time, the
services and whether each works now, today's community notices. Any touch wakes it (so does a
card placed on the reader: the flow hears ``card.read``)."""

from __future__ import annotations

from typing import Any

from kiosk.availability import KIOSK_READY, SERVICES, availability
from kiosk.i18n import N_, _, translator
from kiosk.localclock import station_now
from kiosk.ui import theme
from kiosk.ui.widgets import KLabel

from .base import KioskScreen, load_kv

load_kv(__file__)

WEEKDAYS = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"),
            N_("Saturday"), N_("Sunday"))


class AttractScreen(KioskScreen):
    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("24-hour Community Service Station")
        self.can_back = self.can_home = False
        self.voice = ""

    def on_touch_down(self, touch: Any) -> bool:
        if self.collide_point(*touch.pos):
            self.flow.wake()
            return True
        return False

    def render(self) -> None:
        state = self.flow.state
        self.ids.station_name.text = translator.pick(state.station.name) if state.station else ""
        box = self.ids.services
        box.clear_widgets()
        # The home screen's services in this mode; the list shows as many as fit (FitList).
        sizes = theme.ELDERLY_SIZES if state.elderly else theme.NORMAL_SIZES
        ready = [entry for entry in SERVICES if entry[0] in KIOSK_READY][:sizes.tiles]
        for code, title, _note, _icon in ready:
            found = availability(state.station, code)
            status = _("available") if found.usable else _(found.why)
            box.add_widget(KLabel(aid=f"attract_{code}", style="large" if found.usable else "body",
                                  text=f"{'●' if found.usable else '○'} {_(title)} — {status}"))
        notices = self.ids.notices
        notices.clear_widgets()
        for index, notice in enumerate(state.notices[:3]):
            notices.add_widget(KLabel(aid=f"attract_notice_{index}", text=translator.pick(notice.title)))
        if not state.notices:
            notices.add_widget(KLabel(aid="no_notices", style="muted",
                                      text=_("No community notices today.")))
        self.tick()

    def tick(self) -> None:
        station = self.flow.state.station
        now = station_now(station.timezone if station else None)  # the district's time
        self.ids.clock.text = now.strftime("%H:%M")
        self.ids.date.text = _("{year}-{month:02d}-{day:02d}  {weekday}").format(
            year=now.year, month=now.month, day=now.day, weekday=_(WEEKDAYS[now.weekday()]))
