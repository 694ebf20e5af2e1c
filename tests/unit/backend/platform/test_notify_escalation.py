"""Escalation on a fixed clock, and no resident data in a message."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from backend.platform.services.notify.escalation import escalation_level, scrub

OPENED = datetime(2026, 12, 4, 3, 0, tzinfo=UTC)
PATH = ["d1", "s1", "c1"]


def _level(minutes: int, *, acked: bool = False, severity: str = "critical") -> str | None:
    return escalation_level(
        area_path=PATH, opened_at=OPENED, now=OPENED + timedelta(minutes=minutes),
        acknowledged_at=OPENED if acked else None, severity=severity,
    )


def test_unacknowledged_critical_climbs_one_level_each_fifteen_minutes() -> None:
    assert _level(14) is None
    assert _level(15) == "s1"
    assert _level(30) == "d1"
    assert _level(120) == "d1"


def test_acknowledged_or_non_critical_never_escalates() -> None:
    assert _level(60, acked=True) is None
    assert _level(60, severity="warning") is None


def test_scrub_masks_id_numbers_and_phones() -> None:
    text = scrub("居民 460107194912310022 电话 13800138000 站点 st-1")
    assert "460107194912310022" not in text and "13800138000" not in text
    assert "4601*************2" in text and "138****8000" in text
