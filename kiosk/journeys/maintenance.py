"""The technician's maintenance screen: a hidden entry (a long press on the title of the home or
attract screen), the technician PIN on the numeric keypad (the station checks it), then every
device's state, a test print, a test card read, a test scan (the last code's kind and length,
never its content), the fault history and — when the devices are simulated — the one list of
faults to inject and clear. Entering it ends any visit, so nothing of a resident stays on screen;
leaving it (Home, or the idle timer) forgets the PIN. A journey (``kiosk.journeys``); Kivy-free.
"""

from __future__ import annotations

import logging
from typing import Any

from ..dialogs import CLOSE, WRONG_PIN, Dialog, EntryKind, bilingual
from ..errors import StationError
from ..i18n import N_
from ..records import Component, DeviceEvent, Fault, Text
from ..state import MaintenanceState, Step
from .host import JourneyHost

log = logging.getLogger(__name__)

PIN_FIELD = "maintenance_pin"
CHECKING = N_("Checking the PIN…")
TESTING = N_("Testing…")
MAX_TRIES = 3  # wrong PINs in a row before the entry locks for a while
LOCK_SECONDS = 300.0
TESTS = {"printer": N_("Test print"), "idcard": N_("Test card read"), "scanner": N_("Check the scanner"),
         "camera": N_("Check the camera")}


def scan_summary(text: str) -> str:
    """What a test scan shows: the code's prefix and length (a code may carry a resident's data)."""
    prefix = text.split(":", 1)[0][:6] + ":" if ":" in text[:8] else ""
    return f"{prefix}… ({len(text)})"


class MaintenanceJourney:
    """The maintenance screen's actions."""

    def __init__(self, host: JourneyHost) -> None:
        self.host = host
        self._pin = ""  # only while the maintenance screen is open
        self._wrong = 0
        self._locked_until = 0.0

    @property
    def data(self) -> MaintenanceState | None:
        return self.host.state.maintenance

    def open(self) -> None:
        """The hidden entry: end any visit and ask for the PIN."""
        state = self.host.state
        if state.step not in (Step.HOME, Step.ATTRACT) or state.busy or state.entry is not None:
            return
        if self.host.clock.now() < self._locked_until:
            self._say(bilingual(N_("Too many wrong PINs. Please wait a few minutes.")))
            return
        self.host.forget_visit()
        self.host.open_entry(EntryKind.PIN, N_("Technician PIN"), PIN_FIELD)

    def check_pin(self, pin: str) -> None:
        """The keypad gave a PIN: the station checks it (with the fault list it answers)."""
        if not pin:
            return
        self.host.state.busy = CHECKING
        self.host.changed()
        self.host.call(lambda: self.host.api.faults(pin),
                       lambda faults, error: self._checked(pin, faults, error), generation_bound=False)

    def _checked(self, pin: str, faults: tuple[Fault, ...] | None, error: StationError | None) -> None:
        self.host.state.busy = None
        if error is not None or faults is None:
            self._refused(error)
            return
        self._wrong, self._pin = 0, pin
        self.host.state.maintenance = MaintenanceState(faults=faults)
        self.host.go(Step.MAINTENANCE)
        self.refresh()

    def _refused(self, error: StationError | None) -> None:
        if error is not None and error.code == "maintenance.wrong_pin":
            self._wrong += 1
            if self._wrong >= MAX_TRIES:
                self._wrong, self._locked_until = 0, self.host.clock.now() + LOCK_SECONDS
        log.warning("maintenance refused: %s", error)
        self._say(Text.of(error.message) if error is not None
                  else bilingual(N_("The PIN could not be checked.")))

    def _say(self, message: Text) -> None:
        self.host.state.dialog = Dialog(WRONG_PIN, bilingual(N_("Maintenance")), (message,),
                                        ((CLOSE, bilingual(N_("OK"))),), tone="warning")
        self.host.changed()

    def refresh(self) -> None:
        """Reload the devices' states and the fault history."""
        pin = self._pin
        if self.data is None or not pin:
            return
        api = self.host.api
        self.host.call(lambda: (api.components(), api.device_history(pin)), self._refreshed)

    def _refreshed(self, value: tuple[list[Component], list[DeviceEvent]] | None,
                   error: StationError | None) -> None:
        if self.data is None:
            return
        if error is not None or value is None:
            self.data.message = Text.of(error.message if error else {})
        else:
            self.data.components, self.data.history = value
        self.host.changed()

    def test(self, component_id: str) -> None:
        """Self-test one device: the printer prints a sample; the others are asked for a status."""
        pin = self._pin
        if self.host.state.step is not Step.MAINTENANCE or not pin or self.host.state.busy:
            return
        self.host.touch()
        self.host.state.busy = TESTING
        self.host.changed()
        self.host.call(lambda: self.host.api.selftest(component_id, pin),
                       lambda outcome, error: self._tested(component_id, outcome, error))

    def _tested(self, component_id: str, outcome: dict[str, Any] | None, error: StationError | None) -> None:
        self.host.state.busy = None
        if self.data is None:
            return
        if error is not None or outcome is None:
            self.data.message = Text.of(error.message if error else {})
        elif outcome.get("ok"):
            self.data.message = bilingual(N_("{device}: test passed"), device=component_id)
        else:
            said = Text.of((outcome.get("error") or {}).get("message") or {})
            self.data.message = Text(f"{component_id}: {said.zh}", f"{component_id}: {said.en}")
        self.refresh()

    def fault(self, device: str, fault: str) -> None:
        """Give a simulated device a fault ("" clears the device's faults)."""
        pin = self._pin
        if self.host.state.step is not Step.MAINTENANCE or not pin or self.host.state.busy:
            return
        self.host.touch()
        api = self.host.api
        call = ((lambda: api.inject_fault(device, fault, pin)) if fault
                else (lambda: api.clear_faults(device, pin)))
        self.host.call(call, lambda _v, error: self._faulted(device, fault, error))

    def _faulted(self, device: str, fault: str, error: StationError | None) -> None:
        if self.data is None:
            return
        if error is not None:
            self.data.message = Text.of(error.message)
        elif fault:
            self.data.message = bilingual(N_("{device}: fault {fault} on"), device=device, fault=fault)
        else:
            self.data.message = bilingual(N_("{device}: faults cleared"), device=device)
        self.refresh()

    def on_scanned(self, text: str) -> None:
        """Test scan: show what kind of code arrived, not what it says."""
        if self.data is not None and self.host.state.step is Step.MAINTENANCE:
            self.data.last_scan = scan_summary(text)
            self.host.changed()

    def on_device_event(self) -> None:
        if self.host.state.step is Step.MAINTENANCE:
            self.refresh()

    def close(self) -> None:
        """Leave: forget the PIN."""
        self._pin = ""
        self.host.state.maintenance = None
