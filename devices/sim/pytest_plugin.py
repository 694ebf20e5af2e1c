"""A pytest plugin shipped with the package, so a technician can test their own set-up:

    def test_my_receipt(sim_printer):        # a SimulatedPrinter on a free loopback port
        print_something(sim_printer.url)
        assert "居住证明" in sim_printer.wait_for_job().text

Fixtures: ``sim_printer`` (its images drawn with ``sim_printer_font``: none, Pillow's Latin-only
font, unless a conftest overrides that fixture with a CJK ``FontFile``), ``sim_idcard`` (behind a
pseudo-terminal), ``sim_idcard_tcp``, ``sim_scanner``, ``sim_camera``.
Each is started before the test and stopped after it.
Contract tests re-run against real hardware when ``KIOSK_HW_PRINTER`` / ``KIOSK_HW_IDCARD`` /
``KIOSK_HW_SCANNER`` name a device URL (see ``hardware_url``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def sim_printer_font() -> Any:
    """The font the simulated printer draws its images with (override it: a CJK ``FontFile``)."""
    return None


@pytest.fixture
def sim_printer(tmp_path: Path, sim_printer_font: Any) -> Iterator[Any]:
    """A simulated ESC/POS printer on a free loopback TCP port (58 mm paper)."""
    from devices.sim.printer import SimulatedPrinter

    printer = SimulatedPrinter(port=0, jobs_dir=tmp_path / "printer-jobs", font=sim_printer_font)
    printer.start()
    yield printer
    printer.stop()


@pytest.fixture
def sim_idcard() -> Iterator[Any]:
    """A simulated ID card reader behind a pseudo-terminal (its ``url`` is /dev/pts/N)."""
    from devices.sim.idcard import SimulatedIdCardReader

    reader = SimulatedIdCardReader(transport="pty")
    reader.start()
    yield reader
    reader.stop()


@pytest.fixture
def sim_idcard_tcp() -> Iterator[Any]:
    """A simulated ID card reader on a loopback socket (its ``url`` is socket://…)."""
    from devices.sim.idcard import SimulatedIdCardReader

    reader = SimulatedIdCardReader(transport="tcp")
    reader.start()
    yield reader
    reader.stop()


@pytest.fixture
def sim_scanner() -> Iterator[Any]:
    """A simulated serial scan engine behind a pseudo-terminal."""
    from devices.sim.scanner import SimulatedSerialScanner

    scanner = SimulatedSerialScanner(transport="pty")
    scanner.start()
    yield scanner
    scanner.stop()


@pytest.fixture
def sim_camera(tmp_path: Path) -> Iterator[Any]:
    """A simulated camera playing frames from a folder (``show_code`` puts a QR in view)."""
    from devices.sim.camera import SimulatedCamera

    camera = SimulatedCamera(tmp_path / "camera-frames")
    camera.start()
    yield camera
    camera.stop()


def hardware_url(kind: str) -> str | None:
    """The URL of real hardware to run contract tests against, from ``KIOSK_HW_<KIND>``."""
    return os.environ.get(f"KIOSK_HW_{kind.upper()}") or None
