"""The station's applier registry: one applier per change kind, every kind the platform sends."""

from __future__ import annotations

import pytest

from backend.shared.protocol import Change, ChangeKind
from backend.station.sync import (
    certificate_appliers,
    community_appliers,
    station_appliers,
    volunteer_appliers,
)
from backend.station.sync.applier_core import ApplyContext, Effect, Registry
from backend.station.sync.appliers import APPLIERS


def _noop(ctx: ApplyContext, change: Change) -> Effect | None:
    return None


def test_a_change_kind_with_two_appliers_is_refused() -> None:
    with pytest.raises(ValueError, match="notice"):
        Registry({ChangeKind.NOTICE: _noop}, {ChangeKind.NOTICE: _noop, ChangeKind.TICKET: _noop})


def test_every_change_kind_has_exactly_one_applier() -> None:
    assert set(APPLIERS.table) == {kind.value for kind in ChangeKind}
    tables = [station_appliers.APPLIERS, certificate_appliers.APPLIERS, volunteer_appliers.APPLIERS,
              community_appliers.APPLIERS]
    assert sum(len(table) for table in tables) == len(ChangeKind)
    assert APPLIERS.get(ChangeKind.REVOCATION.value) is certificate_appliers.revocation
