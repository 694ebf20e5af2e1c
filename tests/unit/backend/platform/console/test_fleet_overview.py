"""The fleet overview for a large fleet: counts by health over every station, one page of rows in
the same order as the whole list, a search by id or name, and health told from the parts that can
change it alone — the same as from every part."""

from __future__ import annotations

from typing import Any

from backend.platform.console.fleet_view import FleetOverview, fleet_overview
from backend.platform.runtime import PlatformRuntime

from ..conftest import COMMUNITY, enrolled
from .test_fleet_rows import SHANGHAI, _beat, _rows, fleet  # noqa: F401 - the fixture


def _overview(runtime: PlatformRuntime, **filters: Any) -> FleetOverview:
    with runtime.db() as session:
        return fleet_overview(session, communities=[COMMUNITY], now=runtime.clock.now(), offline_after=90,
                              timezone=SHANGHAI, **filters)


def test_counts_and_pages_agree_with_the_whole_list(fleet: PlatformRuntime) -> None:  # noqa: F811
    # A low-paper heartbeat with the printer saying OK is healthy (the printer's code wins); a
    # scanner in error needs attention though the printer is fine.
    enrolled(fleet, "lowok", "S05")
    _beat(fleet, "lowok", paper_level="low")
    enrolled(fleet, "scan", "S06")
    _beat(fleet, "scan", components=[{"id": "printer", "kind": "receipt_printer", "code": "OK", "state": "READY"},
                                     {"id": "scanner", "kind": "barcode_scanner", "code": "IO_ERROR",
                                      "state": "ERROR"}])
    whole = _rows(fleet)
    overview = _overview(fleet, size=2)
    assert overview.total == len(whole) == 7 and overview.pages == 4
    expected = {h: sum(1 for r in whole if r.health == h) for h in ("offline", "down", "attention", "ok", "new")}
    assert overview.counts == expected
    assert overview.counts["ok"] == 2 and overview.counts["attention"] == 2  # lowok ok; paper, scan attention
    seen = [r.id for page in range(1, 5) for r in _overview(fleet, size=2, page=page).rows]
    assert seen == [r.id for r in whole]
    shown = _overview(fleet, size=2, page=1).rows
    assert [(r.health, r.paper, sorted(r.parts)) for r in shown] == [(r.health, r.paper, sorted(r.parts))
                                                                     for r in whole[:2]]
    last = _overview(fleet, size=2, page=99)
    assert last.page == 4 and (last.first, last.last) == (7, 7)


def test_search_by_id_or_name_and_the_state_filter(fleet: PlatformRuntime) -> None:  # noqa: F811
    assert [r.id for r in _overview(fleet, search="PAP").rows] == ["paper"]
    assert _overview(fleet, search="%").total == 0  # a wildcard is a character, not a pattern
    problems = _overview(fleet, state="problem")
    assert {r.id for r in problems.rows} == {"silent", "paper", "paused"}
    assert problems.counts["ok"] == 1  # the counts are of the whole area, not the filter
