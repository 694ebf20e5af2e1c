"""Routing by area subtree and severity, grouping by cause and street, quiet hours on a fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from backend.platform.services.notify.routing import ChannelRule, group_key, held_until, route

PATH = ["d1", "s1", "c1"]


def test_area_subtree_and_min_severity() -> None:
    district = ChannelRule(1, "d1", "critical")
    street = ChannelRule(2, "s1", "warning")
    other_street = ChannelRule(3, "s2", "info")
    community = ChannelRule(4, "c1", "info")
    rules = [district, street, other_street, community]
    assert route(rules, area_path=PATH, severity="warning") == [street, community]
    assert route(rules, area_path=PATH, severity="critical") == [district, street, community]
    assert route(rules, area_path=PATH, severity="info") == [community]


def test_same_cause_same_street_same_window_groups() -> None:
    window = timedelta(minutes=2)
    at = datetime(2026, 12, 4, 3, 0, 10, tzinfo=UTC)
    a = group_key(kind="offline", area_path=["d1", "s1", "c1"], opened_at=at, window=window)
    b = group_key(kind="offline", area_path=["d1", "s1", "c2"], opened_at=at + timedelta(seconds=30), window=window)
    assert a == b
    assert a != group_key(kind="offline", area_path=["d1", "s2", "c3"], opened_at=at, window=window)
    assert a != group_key(kind="paper_out", area_path=["d1", "s1", "c1"], opened_at=at, window=window)
    assert a != group_key(kind="offline", area_path=["d1", "s1", "c1"], opened_at=at + window, window=window)


def test_quiet_hours_hold_non_critical_until_morning() -> None:
    tz = ZoneInfo("Asia/Shanghai")
    night = datetime(2026, 12, 4, 3, 0, tzinfo=tz)
    late = datetime(2026, 12, 4, 23, 30, tzinfo=tz)
    day = datetime(2026, 12, 4, 12, 0, tzinfo=tz)
    quiet = {"quiet_start": time(22, 0), "quiet_end": time(7, 30)}
    assert held_until(night, severity="warning", **quiet) == datetime(2026, 12, 4, 7, 30, tzinfo=tz)
    assert held_until(late, severity="info", **quiet) == datetime(2026, 12, 5, 7, 30, tzinfo=tz)
    assert held_until(night, severity="critical", **quiet) is None
    assert held_until(day, severity="warning", **quiet) is None
