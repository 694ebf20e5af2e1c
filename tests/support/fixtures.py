"""Fixtures that run the product's processes for integration, UI and browser tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .stack import Simulators, Station, simulators, station


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    return folder


@pytest.fixture
def sims(data_dir: Path) -> Iterator[Simulators]:
    """``kiosk sim`` running for the test's data folder."""
    with simulators(data_dir) as running:
        yield running


@pytest.fixture
def running_station(data_dir: Path, sims: Simulators) -> Iterator[Station]:
    """``kiosk station`` on a free loopback port, its devices the simulators (sim://)."""
    with station(data_dir, env={"KIOSK_PRINTER_POLL_SECONDS": "0.5"}) as running:
        yield running
