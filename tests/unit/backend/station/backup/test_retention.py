"""What the station keeps of its backups: 7 daily, 4 weekly, the last two before a migration."""

from __future__ import annotations

from datetime import datetime, timedelta

from backend.station.backup.retention import BackupEntry, backups_to_keep
from backend.station.backup.schedule import daily_due

START = datetime(2026, 11, 2, 3, 0)  # a Monday, 03:00 local


def _daily(days: int) -> list[BackupEntry]:
    return [BackupEntry(f"d{n:03}", START + timedelta(days=n)) for n in range(days)]


def test_sixty_days_of_dailies_keep_the_last_seven_days_and_four_weeks() -> None:
    entries = _daily(60)  # d000 … d059; d059 is a Friday
    keep = backups_to_keep(entries, daily=7, weekly=4)
    last_seven = {f"d{n:03}" for n in range(53, 60)}
    # the newest of each of the last four ISO weeks: this week's (d059), then the Sundays before
    weekly = {"d059", "d055", "d048", "d041"}
    assert keep == last_seven | weekly


def test_the_newest_of_a_day_is_kept_and_the_others_of_that_day_go() -> None:
    morning = BackupEntry("morning", START, "manual")
    night = BackupEntry("night", START.replace(hour=23), "daily")
    assert backups_to_keep([morning, night], daily=7, weekly=0) == {"night"}


def test_migration_backups_are_kept_apart_the_newest_two() -> None:
    migrations = [BackupEntry(f"m{n}", START + timedelta(days=n), "migration") for n in range(4)]
    keep = backups_to_keep(migrations + _daily(2), daily=7, weekly=4)
    assert keep == {"m3", "m2", "d000", "d001"}


def test_nothing_to_keep_from_nothing() -> None:
    assert backups_to_keep([], daily=7, weekly=4) == set()


def test_the_daily_backup_is_due_once_a_day_from_its_local_hour() -> None:
    at_two, at_three = START.replace(hour=2), START.replace(hour=3)
    assert daily_due(at_two, hour=3, last=None)  # a new station: its first backup at once
    assert not daily_due(at_two, hour=3, last=at_two - timedelta(days=1))
    assert daily_due(at_three, hour=3, last=at_three - timedelta(days=1))
    assert not daily_due(at_three.replace(hour=22), hour=3, last=at_three)
    # started at noon after a night switched off: today's is taken now, not tomorrow
    assert daily_due(START.replace(hour=12), hour=3, last=at_three - timedelta(days=2))
