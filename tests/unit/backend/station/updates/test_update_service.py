"""The updater inside the station takes an offer, prepares it at once, but switches only inside
the rollout's local window and never while a resident is at the kiosk; without an offer (paused
or aborted) it waits."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from backend.shared.tokens.signing import KeySet
from backend.station.settings import StationSettings
from backend.station.updates import journal, service
from backend.station.updates.service import UpdateService
from support.update_rig import (
    NEW,
    OLD,
    file_opener,
    make_bundle,
    make_root,
    marker_installer,
    new_key,
    offer_for,
)

ZONE = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def station(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    signer, _ = new_key(tmp_path)
    root = make_root(tmp_path)
    bundle = make_bundle(tmp_path, signer)
    resident: list[Any] = [None]
    restarts: list[int] = []
    runtime = SimpleNamespace(
        settings=StationSettings(data_dir=tmp_path / "data", update_root=root),
        sessions=SimpleNamespace(current=lambda: resident[0]),
        devices=SimpleNamespace(statuses=lambda: {}))
    sync = SimpleNamespace(client=SimpleNamespace(open_release=lambda version, offset: file_opener(bundle)(offset)))
    updates = UpdateService(runtime, sync=sync)  # type: ignore[arg-type]
    updates.offered({**offer_for(bundle).__dict__, "window_start": "02:00", "window_end": "05:00"})
    updates.updater.installer = marker_installer
    updates.updater.restart = lambda: restarts.append(1)
    updates.updater.trusted = lambda: KeySet([signer.public_key])
    return SimpleNamespace(updates=updates, root=root, resident=resident, restarts=restarts, runtime=runtime,
                           at=lambda h, m: monkeypatch.setattr(service.localtime, "now_local",
                                                               lambda: datetime(2026, 12, 4, h, m, tzinfo=ZONE)))


def test_prepared_at_once_switched_only_in_the_window_and_without_a_resident(station) -> None:
    station.at(14, 30)  # the afternoon: download and prepare, nothing more
    station.updates._step()
    assert journal.read(station.root)["phase"] == journal.PREPARED  # type: ignore[index]
    assert journal.current_version(station.root) == OLD and not station.restarts

    station.at(2, 30)
    station.resident[0] = object()  # a resident is at the kiosk at 02:30
    station.updates._step()
    assert journal.current_version(station.root) == OLD and not station.restarts

    station.resident[0] = None  # they left
    station.updates._step()
    assert journal.current_version(station.root) == NEW and station.restarts == [1]
    assert journal.read(station.root)["phase"] == journal.TRIAL  # type: ignore[index]
    assert (station.root / "guard" / "guard.py").exists()  # the judge of the new release is the old one's


def test_a_paused_rollout_is_waited_for(station) -> None:
    station.at(3, 0)
    station.updates.offer = None
    station.updates._step()
    assert journal.read(station.root) is None and journal.current_version(station.root) == OLD
