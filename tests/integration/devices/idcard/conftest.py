"""A simulated ID card reader on a real pty or TCP socket, and the real driver opening it.

The simulator and the driver live for the whole module (one per transport), so every test also
shows that the same driver keeps working after the faults of the tests before it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from devices.idcard.reader import IdCardReader
from devices.sim.idcard import SimulatedIdCardReader

TODAY = date(2026, 11, 26)
TIMEOUT = 0.3  # short so that silence costs little; a reply at 115200 baud takes ~0.12 s


def clock() -> date:
    return TODAY


@pytest.fixture(scope="module", params=["pty", "tcp"])
def shared_sim(request: pytest.FixtureRequest) -> Iterator[SimulatedIdCardReader]:
    with SimulatedIdCardReader(request.param, clock=clock, seed=1) as sim:
        yield sim


@pytest.fixture
def idcard_sim(shared_sim: SimulatedIdCardReader) -> Iterator[SimulatedIdCardReader]:
    """The module's simulator with no card and no fault."""
    shared_sim.clear_faults()
    shared_sim.remove_card()
    yield shared_sim
    shared_sim.clear_faults()
    shared_sim.remove_card()


@pytest.fixture(scope="module")
def reader(shared_sim: SimulatedIdCardReader) -> Iterator[IdCardReader]:
    with IdCardReader(shared_sim.url, timeout=TIMEOUT, clock=clock, simulated=True) as driver:
        yield driver


@pytest.fixture(params=["pty", "tcp"])
def own_sim(request: pytest.FixtureRequest) -> Iterator[SimulatedIdCardReader]:
    """A simulator of the test's own, which it may stop."""
    with SimulatedIdCardReader(request.param, clock=clock) as sim:
        yield sim


@pytest.fixture
def pty_sim() -> Iterator[SimulatedIdCardReader]:
    with SimulatedIdCardReader("pty", clock=clock) as sim:
        yield sim
