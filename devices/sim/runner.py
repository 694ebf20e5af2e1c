"""Run a set of simulators together, with their control API, and publish how to reach them.

This is what ``kiosk sim`` runs. A station configured with ``sim://`` finds the devices through
the endpoints file this writes into ``<data dir>/sim``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PIL import Image

from .base import Simulator
from .camera import SimulatedCamera
from .control import ControlServer, SimulatorControl
from .idcard import DemoRegister, SimulatedIdCardReader
from .printer import FontFile, SimulatedPrinter
from .registry import SimEndpoints, clear_endpoints, write_endpoints
from .scanner import SimulatedSerialScanner

log = logging.getLogger(__name__)

DEVICES = ("printer", "idcard", "scanner", "camera")


class SimulatorStack:
    """The simulators of one data folder, their control API and their endpoints file."""

    def __init__(self, sim_dir: Path, *, devices: tuple[str, ...] = DEVICES,
                 printer_port: int = 9100, printer_dot_width: int = 384,
                 serial_transport: str = "pty", control_port: int = 0,
                 demo_register: DemoRegister | None = None, printer_font: FontFile | None = None) -> None:
        unknown = set(devices) - set(DEVICES)
        if unknown:
            raise ValueError(f"unknown simulators {sorted(unknown)}; known: {', '.join(DEVICES)}")
        self.sim_dir = sim_dir
        self.demo_register = demo_register  # whose cards "insert a card" offers (none: that action refuses)
        self.simulators: dict[str, Simulator] = {}
        builders: dict[str, Callable[[], Simulator]] = {
            "printer": lambda: SimulatedPrinter(port=printer_port, jobs_dir=sim_dir / "printer" / "jobs",
                                                dot_width=printer_dot_width, font=printer_font),
            "idcard": lambda: SimulatedIdCardReader(transport=serial_transport),
            "scanner": lambda: SimulatedSerialScanner(transport=serial_transport),  # type: ignore[arg-type]
            "camera": lambda: SimulatedCamera(sim_dir / "camera" / "frames"),
        }
        for name in devices:
            self.simulators[name] = builders[name]()
        self.control = SimulatorControl(self.simulators)
        self._register_actions()
        self._server = ControlServer(self.control, port=control_port)

    def start(self) -> SimEndpoints:
        """Start every simulator and the control API, then publish the endpoints."""
        for sim in self.simulators.values():
            sim.start()
        self._server.start()
        endpoints = SimEndpoints(
            control=self._server.url, pid=os.getpid(),
            devices={name: sim.url for name, sim in self.simulators.items()},
            jobs_dir=str(self.sim_dir / "printer" / "jobs"))
        write_endpoints(self.sim_dir, endpoints)
        return endpoints

    def stop(self) -> None:
        clear_endpoints(self.sim_dir, os.getpid())
        self._server.stop()
        for sim in self.simulators.values():
            sim.stop()

    def _register_actions(self) -> None:
        sims: dict[str, Any] = self.simulators
        control = self.control
        if "idcard" in sims:
            control.action("POST", "idcard", "card",
                           lambda body: _insert_card(sims["idcard"], self.demo_register, body))
            control.action("DELETE", "idcard", "card",
                           lambda _body: (sims["idcard"].remove_card(), sims["idcard"].describe())[1])
        if "scanner" in sims:
            control.action("POST", "scanner", "scan", lambda body: _scan(sims["scanner"], body))
        if "camera" in sims:
            control.action("POST", "camera", "show", lambda body: _show(sims["camera"], body))
        if "printer" in sims:
            control.action("POST", "printer", "refill",
                           lambda _body: (sims["printer"].refill(), sims["printer"].describe())[1])
            control.action("GET", "printer", "jobs",
                           lambda _body: [_job_view(j) for j in sims["printer"].jobs()])


def _insert_card(reader: SimulatedIdCardReader, register: DemoRegister | None,
                 body: dict[str, Any]) -> dict[str, Any]:
    if register is None:
        raise ValueError("these simulators were started without a demo register: no cards to insert")
    who = str(body.get("resident", "1")).strip()
    # A short number is the demo register's row, counted from 1 as people count.
    card = register.card(int(who) - 1 if who.isdigit() and len(who) <= 3 else who)
    reader.insert_card(card)
    return {"inserted": card.masked(), **reader.describe()}


def _scan(scanner: SimulatedSerialScanner, body: dict[str, Any]) -> dict[str, Any]:
    text = body.get("text")
    if not isinstance(text, str) or not text:
        raise ValueError("give the scanned text as {\"text\": \"…\"}")
    scanner.scan(text)
    return scanner.describe()


def _show(camera: SimulatedCamera, body: dict[str, Any]) -> dict[str, Any]:
    if "text" in body:
        camera.show_code(str(body["text"]))
    elif "path" in body:
        path = Path(str(body["path"]))
        with Image.open(path) as image:
            camera.show(image.copy())
    else:
        raise ValueError("give {\"text\": …} to show a QR code or {\"path\": …} to show an image")
    return camera.describe()


def _job_view(job: Any) -> Any:
    as_dict = getattr(job, "as_dict", None)
    return as_dict() if callable(as_dict) else job
