"""The technician's maintenance screen (behind the PIN): every device's state with a test button
(a test print, a test card read, a status check), the last test scan (its kind and length only),
the fault history, and — for simulated devices — the one list of faults to inject and clear.
Nothing of a resident is ever shown here."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from kivy.uix.boxlayout import BoxLayout

from kiosk.i18n import N_, _, translator
from kiosk.journeys.maintenance import TESTS
from kiosk.ui.style import S
from kiosk.ui.theme import px
from kiosk.ui.widgets import KioskButton, KLabel

from .base import KioskScreen, load_kv
from .request_done import local_time as short_time

load_kv(__file__)

HISTORY_LINES = 8


class MaintenanceScreen(KioskScreen):
    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Maintenance")
        self.can_back = False
        self.voice = ""
        self._shown: dict[str, Hashable] = {}  # what each part was last built from

    def _changed(self, part: str, key: Hashable) -> bool:
        """Whether ``part`` must be rebuilt: never replace the button under a technician's finger
        on a render that changed nothing it shows."""
        full = (key, translator.lang, self.flow.state.elderly)
        if self._shown.get(part) == full:
            return False
        self._shown[part] = full
        return True

    def render(self) -> None:
        data, ids = self.flow.state.maintenance, self.ids
        ids.message.text = translator.pick(data.message) if data and data.message else ""
        ids.last_scan.text = _("Last scan: {scan}").format(
            scan=data.last_scan if data and data.last_scan else _("none yet (scan any code to test)"))
        self._devices(data)
        recent = tuple(reversed(data.history[-HISTORY_LINES:])) if data else ()
        if self._changed("history", recent):
            self._history(recent)
        self._faults(data)

    def _history(self, recent: tuple[Any, ...]) -> None:
        history = self.ids.history
        history.clear_widgets()
        for index, event in enumerate(recent):
            history.add_widget(KLabel(aid=f"history_{index}", style="small",
                                      text=f"{short_time(event.at)}  {event.severity}  {event.component}  "
                                           f"{event.type}  {event.code}"))

    def _devices(self, data: Any) -> None:
        components = tuple(data.components) if data else ()
        if not self._changed("devices", components):
            return
        box = self.ids.devices
        box.clear_widgets()
        for component in components:
            line = KLabel(aid=f"device_{component.id}", pos_hint={"center_y": 0.5},
                          text=f"{component.id}: {component.state} {component.code}"
                               + (f" ({_('simulated')})" if component.simulated else ""))
            test = KioskButton(aid=f"test_{component.id}", kind="secondary", size_hint_x=0.5,
                               text=_(TESTS.get(component.id, N_("Check"))))
            test.bind(on_release=lambda _b, cid=component.id: self.flow.maintenance.test(cid))
            row = _row()
            row.add_widget(line)
            row.add_widget(test)
            box.add_widget(row)

    def _faults(self, data: Any) -> None:
        station = self.flow.state.station
        simulated = {k for k, v in (station.simulated.items() if station else ()) if v}
        devices = [d for d in dict.fromkeys(f.device for f in data.faults) if d in simulated] if data else []
        self.ids.faults_heading.shown = bool(devices)
        if not self._changed("faults", (tuple(devices), tuple(data.faults) if data else ())):
            return
        grid = self.ids.faults
        grid.clear_widgets()
        for device in devices:
            clear = KioskButton(aid=f"clear_{device}", text=_("{device}: clear faults").format(device=device))
            clear.bind(on_release=lambda _b, d=device: self.flow.maintenance.fault(d, ""))
            grid.add_widget(clear)
            for fault in (f for f in data.faults if f.device == device):
                button = KioskButton(aid=f"fault_{device}_{fault.name}", kind="secondary",
                                     text=f"{device}: {translator.pick(fault.label)}")
                button.bind(on_release=lambda _b, d=device, n=fault.name: self.flow.maintenance.fault(d, n))
                grid.add_widget(button)


def _row() -> BoxLayout:
    return BoxLayout(size_hint_y=None, height=S.touch, spacing=px(20))
