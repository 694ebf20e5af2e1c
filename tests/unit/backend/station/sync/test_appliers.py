"""Applying the platform's changes at the station: once each, with the cursor, all or nothing."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from backend.shared.catalog import CatalogError
from backend.shared.protocol import Change, ChangeKind, ChangesPage
from backend.station.db.models import Certificate, PlatformCommand, Resident
from backend.station.runtime import StationRuntime
from backend.station.sync import state
from backend.station.sync.puller import apply_page

from .conftest import NOW

ENTRY = {"id_hash": "a" * 64, "id_masked": "4601*************4", "name": "王五", "sex": "男",
         "birth_date": "1970-01-01", "building": "9", "unit": "1", "room": "101", "household": "H9",
         "since": "2020-01-01", "status": "active"}


def _change(cursor: int, kind: ChangeKind, payload: dict[str, Any], key: str = "k") -> Change:
    return Change(cursor=cursor, kind=kind, scope="district", key=key, payload=payload, created_at=NOW)


def _apply(runtime: StationRuntime, changes: list[Change], after: int | None = None) -> int:
    with runtime.db() as session:
        current = int(state.get(session, state.CURSOR, 0))
    last = changes[-1].cursor if changes else current
    return apply_page(runtime, ChangesPage(changes=changes, next_cursor=last, more=False),
                      after=current if after is None else after)


def _cursor(runtime: StationRuntime) -> int:
    with runtime.db() as session:
        return int(state.get(session, state.CURSOR, 0))


def _resident(runtime: StationRuntime) -> Resident | None:
    with runtime.db() as session:
        return session.scalar(select(Resident).where(Resident.id_hash == "a" * 64))


def test_register_entries_add_update_and_remove_residents(runtime: StationRuntime) -> None:
    _apply(runtime, [_change(1, ChangeKind.REGISTER, ENTRY)])
    resident = _resident(runtime)
    assert resident is not None and resident.id_cipher is None and resident.name == "王五"
    _apply(runtime, [_change(2, ChangeKind.REGISTER, ENTRY | {"status": "moved_out"})])
    assert (resident := _resident(runtime)) is not None and resident.status == "moved_out"
    _apply(runtime, [_change(3, ChangeKind.REGISTER, ENTRY | {"status": "removed"})])
    assert _resident(runtime) is None and _cursor(runtime) == 3


def test_a_bad_change_leaves_the_whole_page_and_the_cursor_unapplied(runtime: StationRuntime) -> None:
    page = [_change(1, ChangeKind.REGISTER, ENTRY), _change(2, ChangeKind.CATALOG, {"version": "x"})]
    with pytest.raises(CatalogError):
        _apply(runtime, page)
    assert _resident(runtime) is None and _cursor(runtime) == 0


def test_a_page_seen_twice_applies_once(runtime: StationRuntime) -> None:
    command = {"id": "cmd-1", "kind": "diagnostics", "params": {}}
    assert _apply(runtime, [_change(5, ChangeKind.COMMAND, command)], after=0) == 1
    assert _apply(runtime, [_change(5, ChangeKind.COMMAND, command)], after=0) == 0  # cursor moved on
    with runtime.db() as session:
        assert session.scalar(select(func.count()).select_from(PlatformCommand)) == 1


def test_trust_catalog_and_revocations_take_effect(runtime: StationRuntime) -> None:
    other = runtime.keys.jwks()  # any valid JWKS will do as "the other stations"
    catalog = runtime.catalog.model_dump(mode="json")
    catalog["areas"] = {runtime.community.code: ["JZZM"]}
    with runtime.db() as session:
        mine = session.scalar(select(Certificate).limit(1))
    assert mine is None  # nothing issued: revoke a certificate of another station
    _apply(runtime, [_change(1, ChangeKind.TRUST, other), _change(2, ChangeKind.CATALOG, catalog),
                     _change(3, ChangeKind.REVOCATION, {"issuer": "st-09", "serial": "2026-S09-000001",
                                                        "identifier": "x", "reason": "error"})])
    assert (runtime.keys.dir / "trust.jwks.json").exists()
    assert [t.code for t in runtime.catalog.for_area(runtime.community.code)] == ["JZZM"]
    assert runtime.revoked == frozenset({("st-09", "2026-S09-000001")})
