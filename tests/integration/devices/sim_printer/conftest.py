"""A simulated printer on a loopback port, and python-escpos clients for it."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from escpos.printer import Network

from devices.sim.printer import SimulatedPrinter
from kioskcli.sim_data import printer_font

Connect = Callable[..., Network]


@pytest.fixture
def sim_printer(tmp_path: Path) -> Iterator[SimulatedPrinter]:
    """A started simulated 58 mm printer, stopped after the test."""
    printer = SimulatedPrinter(jobs_dir=tmp_path / "jobs", font=printer_font())
    printer.start()
    yield printer
    printer.stop()


@pytest.fixture
def connect(sim_printer: SimulatedPrinter) -> Iterator[Connect]:
    """Open python-escpos Network clients to the simulator (closed after the test)."""
    clients: list[Network] = []

    def open_client(timeout: float = 2.0) -> Network:
        client = Network("127.0.0.1", sim_printer.port, timeout=timeout)
        client.open()
        clients.append(client)
        return client

    yield open_client
    for client in clients:
        client.close()


def _wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        time.sleep(0.005)


@pytest.fixture
def wait_until() -> Callable[..., None]:
    """Poll a condition with a deadline (for state that has no event to wait on)."""
    return _wait_until
