"""Contract tests: what the station needs from each device kind, written once.

They run against the simulators, over their real transports. Name real hardware and they run
against it instead (python-can's Back2Back idea):

    KIOSK_HW_PRINTER=tcp://192.168.1.50:9100 KIOSK_HW_PRINTER_PROFILE=80mm \\
    KIOSK_HW_IDCARD=/dev/ttyUSB0 KIOSK_HW_SCANNER=/dev/ttyACM0 .venv/bin/pytest tests/contract

With hardware, tests that need a person (a card on the reader, a code under the scanner) say so
and wait for ``KIOSK_HW_TIMEOUT`` seconds (default 30).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from devices.sim.pytest_plugin import hardware_url


@dataclass
class Target:
    url: str
    simulator: Any | None  # None on real hardware

    @property
    def on_hardware(self) -> bool:
        return self.simulator is None

    @property
    def wait(self) -> float:
        return float(os.environ.get("KIOSK_HW_TIMEOUT", "30")) if self.on_hardware else 5.0


@pytest.fixture
def printer_target(request: pytest.FixtureRequest) -> Iterator[Target]:
    url = hardware_url("printer")
    if url:
        yield Target(url, None)
    else:
        simulator = request.getfixturevalue("sim_printer")
        yield Target(simulator.url, simulator)


@pytest.fixture
def idcard_target(request: pytest.FixtureRequest) -> Iterator[Target]:
    url = hardware_url("idcard")
    if url:
        yield Target(url, None)
    else:
        simulator = request.getfixturevalue("sim_idcard")
        yield Target(simulator.url, simulator)


@pytest.fixture
def scanner_target(request: pytest.FixtureRequest) -> Iterator[Target]:
    url = hardware_url("scanner")
    if url:
        yield Target(url, None)
    else:
        simulator = request.getfixturevalue("sim_scanner")
        yield Target(simulator.url, simulator)
