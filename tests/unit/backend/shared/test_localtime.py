"""The district's clock: one setting for everything people read, independent of the machine."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest

from backend.shared import localtime
from backend.shared.certificate_copy import local_time
from backend.shared.errors import AppError
from backend.shared.tickets.calendar import parse_calendar


@pytest.fixture
def machine_zone() -> Iterator[None]:
    """Run with the machine's own zone set to New York (the district's must not follow it)."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "America/New_York"
    time.tzset()
    yield
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time.tzset()
    localtime.configure(localtime.DEFAULT_TIMEZONE)


# 16:55 UTC is 00:55 the next day in Haikou (the case the station once got wrong).
LATE_UTC = datetime(2026, 12, 3, 16, 55, tzinfo=UTC)


def test_dates_people_read_follow_the_setting_not_the_machine(machine_zone: None) -> None:
    localtime.configure("Asia/Shanghai")
    assert local_time(LATE_UTC) == "2026-12-04 00:55"
    assert localtime.iso_local(LATE_UTC) == "2026-12-04T00:55:00+08:00"
    assert localtime.local_date(LATE_UTC.replace(tzinfo=None)) == date(2026, 12, 4)  # naive is UTC
    localtime.configure("UTC")
    assert local_time(LATE_UTC) == "2026-12-03 16:55"


def test_a_validity_is_a_local_date_that_lasts_to_the_end_of_that_day(machine_zone: None) -> None:
    localtime.configure("Asia/Shanghai")
    end = localtime.valid_until(LATE_UTC, 90)
    assert localtime.local_date(end) == date(2026, 12, 4) + timedelta(days=90)
    assert localtime.local_text(end, "%H:%M:%S") == "23:59:59"
    assert end.tzinfo is UTC


@pytest.mark.parametrize("name", ["Mars/Base", "", "../etc/passwd", "/usr/share/zoneinfo/UTC"])
def test_an_unknown_zone_is_refused_with_a_code_in_both_languages(name: str) -> None:
    with pytest.raises(AppError) as caught:
        localtime.parse_zone(name)
    assert caught.value.code == "settings.timezone_unknown"
    assert "时区" in caught.value.spec.zh and "time zone" in caught.value.spec.en


def test_both_sides_read_KIOSK_TIMEZONE_and_refuse_a_bad_one(monkeypatch: pytest.MonkeyPatch) -> None:
    from pydantic import ValidationError

    from backend.platform.settings import PlatformSettings
    from backend.station.settings import StationSettings

    assert StationSettings().timezone == PlatformSettings().timezone == "Asia/Shanghai"
    monkeypatch.setenv("KIOSK_TIMEZONE", "America/New_York")
    assert StationSettings().timezone == PlatformSettings().timezone == "America/New_York"
    monkeypatch.setenv("KIOSK_PLATFORM_TIMEZONE", "Europe/Paris")
    assert PlatformSettings().timezone == "Europe/Paris"
    monkeypatch.setenv("KIOSK_TIMEZONE", "Nowhere/Town")
    with pytest.raises(ValidationError, match=r"settings\.timezone_unknown"):
        StationSettings()


def test_the_sla_calendar_counts_in_the_configured_zone() -> None:
    raw = {"workday_ends": "18:00", "weekend": [6, 7]}
    calendar = parse_calendar(raw)
    try:
        localtime.configure("America/New_York")
        assert calendar.timezone.key == "America/New_York"
        due = calendar.add_working_days(datetime(2026, 12, 2, 15, tzinfo=UTC), 1)
        assert due.utcoffset() == timedelta(hours=-5) and due.hour == 18
    finally:
        localtime.configure(localtime.DEFAULT_TIMEZONE)
    with pytest.raises(ValueError, match="calendar is not valid"):
        parse_calendar(raw | {"timezone": "Mars/Base"})


def test_the_console_and_open311_follow_the_setting() -> None:
    from backend.platform.console.render import local_time as console_time
    from backend.platform.services.tickets.open311_format import w3c

    try:
        localtime.configure("America/New_York")
        assert console_time(LATE_UTC.isoformat(), "%Y-%m-%d %H:%M") == "2026-12-03 11:55"
        assert w3c(LATE_UTC, localtime.zone()) == "2026-12-03T11:55:00-05:00"
    finally:
        localtime.configure(localtime.DEFAULT_TIMEZONE)
    assert console_time(LATE_UTC, "%Y-%m-%d %H:%M") == "2026-12-04 00:55"
    assert w3c(LATE_UTC, parse_calendar({"workday_ends": "18:00", "weekend": [6, 7]}).timezone) == \
        "2026-12-04T00:55:00+08:00"


def test_the_kiosk_reads_the_zone_from_the_station_not_the_machine(machine_zone: None) -> None:
    from kiosk.localclock import station_now, station_zone
    from kiosk.records import StationInfo

    info = StationInfo.parse({"station_id": "s", "services": [], "timezone": "Asia/Shanghai"})
    assert station_now(info.timezone).utcoffset() == timedelta(hours=8)
    assert station_zone("").key == station_zone("Not/AZone").key == "Asia/Shanghai"
