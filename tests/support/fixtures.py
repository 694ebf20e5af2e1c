"""Fixtures that run the product's processes for integration, UI and browser tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


def shared_stack() -> tuple[Any, Any, Any, Any]:
    """Module-scoped ``running_station``, ``sims`` and ``data_dir`` for a test module whose tests
    can share one station and its simulators (each test starts with no faults, no card on the
    reader, no resident session, and counts only its own printer jobs). Use as:

        _stack, running_station, sims, data_dir = shared_stack()
    """

    @pytest.fixture(scope="module")
    def _stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Station, Simulators, Path]]:
        folder = tmp_path_factory.mktemp("shared") / "data"
        with simulators(folder) as sims, station(folder, env={"KIOSK_PRINTER_POLL_SECONDS": "0.5"}) as running:
            yield running, sims, folder

    @pytest.fixture
    def running_station(_stack: tuple[Station, Simulators, Path]) -> Station:
        running, sims, _ = _stack
        sims.reset()
        with running.client() as client:  # end any session a previous test left
            client.delete(f"/api/sessions/{client.post('/api/sessions', json={'service': 'help'}).json()['id']}")
        return running

    @pytest.fixture
    def sims(_stack: tuple[Station, Simulators, Path], running_station: Station) -> Simulators:
        return _stack[1]

    @pytest.fixture
    def data_dir(_stack: tuple[Station, Simulators, Path]) -> Path:
        return _stack[2]

    return _stack, running_station, sims, data_dir
