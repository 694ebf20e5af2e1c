"""The device manager: builds each component from the settings, watches it, and runs jobs on it.

Every conversation with a device happens under that component's lock, on a worker thread, with
a timeout; the HTTP layer and the UI never wait on hardware without a bound.
"""

from __future__ import annotations

import functools
import io
import logging
import time
from collections.abc import Callable
from typing import Any

from PIL import Image

from devices.errors import (
    DataCorruptedError,
    DeviceError,
    DeviceNotReachableError,
    DeviceNotRespondingError,
)
from devices.idcard.card import IdCard
from devices.idcard.errors import CardError
from devices.idcard.reader import IdCardReader
from devices.model import ComponentInfo, ComponentKind, ComponentStatus, Severity, StatusCode
from devices.printer.document import Document
from devices.printer.driver import EscposPrinter, PrintResult
from devices.printer.profiles import get_profile
from devices.scanner.base import Scanner
from devices.scanner.factory import open_scanner

from ..device_errors import card_problem
from ..events import EventBus, StationEvent
from ..settings import StationSettings
from .component import Component
from .slots import DriverSlot
from .workers import DeviceWorker

log = logging.getLogger(__name__)

CardListener = Callable[[IdCard], None]
SCAN_WAIT = 0.5  # seconds a scanner read waits for a code before the watcher loops
CARD_LEFT = "card present, left before this visit"  # the reader's status detail (the kiosk reads it)


class DeviceManager:
    """Owns the station's devices."""

    def __init__(self, settings: StationSettings, bus: EventBus) -> None:
        self.settings = settings
        self.bus = bus
        self.profile = get_profile(settings.printer_profile)
        self.printer_slot: DriverSlot[EscposPrinter] = DriverSlot(
            "printer", settings.printer, settings.sim_dir,
            lambda url, sim: EscposPrinter(url, self.profile, simulated=sim, component_id="printer"))
        self.idcard_slot: DriverSlot[IdCardReader] = DriverSlot(
            "idcard", settings.idcard, settings.sim_dir,
            lambda url, sim: IdCardReader(url, simulated=sim))
        self.scanner_slots: dict[str, DriverSlot[Scanner]] = {
            name: DriverSlot(name, url, settings.sim_dir, _scanner_opener(name))
            for name, url in (("scanner", settings.scanner), ("camera", settings.camera)) if url
        }
        self.components: dict[str, Component] = {
            "printer": Component(self._printer_info(), bus),
            "idcard": Component(self._info("idcard", ComponentKind.ID_CARD_READER,
                                           self.idcard_slot), bus),
        }
        kinds = {"scanner": ComponentKind.BARCODE_SCANNER, "camera": ComponentKind.CAMERA}
        for name, slot in self.scanner_slots.items():
            self.components[name] = Component(self._info(name, kinds[name], slot), bus)
        self._card_listeners: list[CardListener] = []
        self._card_on_reader = False
        self._card_placed_at = 0.0  # time.monotonic() of the present card's first read
        self._card_left = False  # the present card was on the reader before this visit began
        self._workers = [
            DeviceWorker(self.components["printer"], self._printer_status,
                         interval=settings.printer_poll_seconds, timeout=5.0),
            DeviceWorker(self.components["idcard"], self._watch_card,
                         interval=settings.card_poll_seconds, timeout=5.0),
        ]
        for name, slot in self.scanner_slots.items():
            self._workers.append(DeviceWorker(
                self.components[name], functools.partial(self._watch_scanner, slot),
                interval=0.05, timeout=SCAN_WAIT + 2.0))

    # ---- life ---------------------------------------------------------------------------------

    def start(self) -> None:
        for worker in self._workers:
            worker.start()

    def stop(self) -> None:
        for worker in self._workers:
            worker.stop()
        slots: list[DriverSlot[Any]] = [self.printer_slot, self.idcard_slot,
                                         *self.scanner_slots.values()]
        for slot in slots:
            slot.reset()

    def on_card(self, listener: CardListener) -> None:
        """Call ``listener`` with every card newly placed on the reader."""
        self._card_listeners.append(listener)

    @property
    def card_present(self) -> bool:
        """Whether a card lay on the reader at the last poll."""
        return self._card_on_reader

    def expect_card(self) -> None:
        """A resident starts a session: read the card on the reader at the next poll, even one
        already delivered — if it was placed moments ago (the resident placed it to wake the
        kiosk, or swapped cards quicker than a poll). A card lying there for longer was left by
        someone else: it never identifies this visit; it must be taken off and placed again.
        """
        fresh = time.monotonic() - self._card_placed_at <= self.settings.card_fresh_seconds
        if self._card_on_reader and not fresh:
            self._card_left = True
        else:
            self._card_on_reader = self._card_left = False
        self._workers[1].poll_now()

    def statuses(self) -> dict[str, ComponentStatus]:
        return {cid: c.status for cid, c in self.components.items()}

    def snapshot(self) -> list[dict[str, Any]]:
        return [c.snapshot() for c in self.components.values()]

    def refresh(self, component_id: str) -> ComponentStatus:
        """Poll one component now and return its status."""
        worker = next(w for w in self._workers if w.component.info.id == component_id)
        return worker.run_once()

    # ---- printer ------------------------------------------------------------------------------

    def print_document(self, document: Document) -> PrintResult:
        """Print a document; raise DeviceError (with the printer's status code) if it fails."""
        component = self.components["printer"]
        with component.lock:
            component.set_busy(True)
            try:
                result = self._driver(self.printer_slot).print_document(document)
            except DeviceError as err:
                component.report(ComponentStatus.unavailable(err.status_code, str(err)))
                self._forget_if_unreachable(self.printer_slot, err)
                raise
            finally:
                component.set_busy(False)
        component.report(result.status_after)
        return result

    def _printer_status(self) -> ComponentStatus:
        try:
            return self._driver(self.printer_slot).status()
        except DeviceError as err:
            self._forget_if_unreachable(self.printer_slot, err)
            raise

    def _printer_info(self) -> ComponentInfo:
        info = self._info("printer", ComponentKind.RECEIPT_PRINTER, self.printer_slot)
        characteristics = {"profile": self.profile.name, "dot_width": self.profile.dot_width,
                           "columns": self.profile.columns, "native_qr": self.profile.native_qr,
                           "cutter": self.profile.cutter, "needs_fs_and": self.profile.needs_fs_and}
        return ComponentInfo(info.id, info.kind, info.url, info.simulated, characteristics)

    # ---- ID card reader -------------------------------------------------------------------------

    def _watch_card(self) -> ComponentStatus:
        reader = self._driver(self.idcard_slot)
        try:
            if self._card_on_reader:
                # Already delivered: only watch for the card being taken away.
                self._card_on_reader = reader.find_card()
                self._card_left = self._card_left and self._card_on_reader
                if self._card_left:
                    return ComponentStatus.ready(CARD_LEFT)
                return ComponentStatus.ready("card present" if self._card_on_reader else "no card")
            card = reader.read_card()
        except CardError as err:
            self._card_on_reader, self._card_placed_at = True, time.monotonic()
            self.bus.publish(StationEvent("card.rejected", card_problem(err.reason), Severity.WARNING))
            return ComponentStatus.ready(f"card refused: {err.reason}")
        except DeviceError as err:
            self._forget_if_unreachable(self.idcard_slot, err)
            raise
        if card is None:
            return ComponentStatus.ready("no card")
        self._card_on_reader, self._card_placed_at = True, time.monotonic()
        self.bus.publish(StationEvent("card.read", {}))
        for listener in self._card_listeners:
            listener(card)
        return ComponentStatus.ready("card present")

    def photo(self) -> bytes:
        """A JPEG of what the camera sees now (at most 1280 px, no metadata); raise if none."""
        slot = self.scanner_slots.get("camera")
        if slot is None:
            raise DeviceNotReachableError("no camera is configured")
        frame = getattr(slot.get(), "last_frame", None)
        if frame is None:
            raise DeviceNotRespondingError("the camera has not delivered a picture yet")
        image = frame if isinstance(frame, Image.Image) else Image.fromarray(frame)
        image = image.convert("RGB")
        image.thumbnail((1280, 1280))
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=85)
        return buffer.getvalue()

    # ---- scanners and cameras ------------------------------------------------------------------

    def _watch_scanner(self, slot: DriverSlot[Scanner]) -> ComponentStatus:
        try:
            code = slot.get().read_code(SCAN_WAIT)
        except DataCorruptedError as err:
            # One unreadable scan says nothing about the scanner: tell the resident, stay ready.
            self.bus.publish(StationEvent("code.unreadable", {"source": slot.name, "detail": str(err)},
                                          Severity.WARNING))
            return ComponentStatus.ready("last scan unreadable")
        except DeviceError as err:
            self._forget_if_unreachable(slot, err)
            raise
        if code is not None:
            self.bus.publish(StationEvent("code.scanned", {"source": slot.name, "text": code.text,
                                                           "symbology": str(code.symbology)}))
        return ComponentStatus.ready()

    # ---- helpers --------------------------------------------------------------------------------

    @staticmethod
    def _driver(slot: DriverSlot[Any]) -> Any:
        return slot.get()

    @staticmethod
    def _forget_if_unreachable(slot: DriverSlot[Any], err: DeviceError) -> None:
        if err.status_code in (StatusCode.NOT_REACHABLE, StatusCode.NOT_RESPONDING):
            slot.reset()

    @staticmethod
    def _info(cid: str, kind: ComponentKind, slot: DriverSlot[Any]) -> ComponentInfo:
        return ComponentInfo(cid, kind, slot.configured_url, slot.simulated)

    def sim_control_url(self) -> str | None:
        return self.idcard_slot.sim_control_url() or self.printer_slot.sim_control_url()


def _scanner_opener(name: str) -> Callable[[str, bool], Scanner]:
    def opener(url: str, simulated: bool) -> Scanner:
        return open_scanner(url, source_id=name)
    return opener


__all__ = ["DeviceManager", "DeviceNotReachableError"]
