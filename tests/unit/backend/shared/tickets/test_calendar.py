"""The working-day calendar over weekends, the 2026 public holidays and make-up working days."""

from __future__ import annotations

import logging
from datetime import date

import pytest

from backend.shared.tickets.calendar import parse_calendar
from backend.shared.tickets.config import TicketConfig

from .conftest import local


@pytest.mark.parametrize(("day", "working"), [
    (date(2026, 11, 26), True),   # Thursday
    (date(2026, 11, 28), False),  # Saturday
    (date(2026, 10, 1), False),   # National Day
    (date(2026, 10, 7), False),   # last day of the National Day holiday (a Wednesday)
    (date(2026, 10, 10), True),   # Saturday, make-up working day
    (date(2026, 9, 20), True),    # Sunday, make-up working day
    (date(2026, 2, 23), False),   # Monday in the Spring Festival holiday
    (date(2026, 1, 4), True),     # Sunday after New Year, working
    (date(2026, 6, 19), False),   # Dragon Boat Festival (a Friday)
])
def test_working_days_of_2026(config: TicketConfig, day: date, working: bool) -> None:
    assert config.calendar.is_working_day(day) is working


@pytest.mark.parametrize(("start", "count", "due"), [
    (local(2026, 11, 26, 10), 5, local(2026, 12, 3, 18)),   # Thu + 5: over one weekend
    (local(2026, 11, 26, 23, 30), 5, local(2026, 12, 3, 18)),  # the start day never counts
    (local(2026, 11, 28, 9), 1, local(2026, 11, 30, 18)),   # filed on a Saturday: Monday
    (local(2026, 9, 30, 10), 5, local(2026, 10, 13, 18)),   # over National Day, Sat 10 Oct works
    (local(2026, 9, 18, 10), 1, local(2026, 9, 20, 18)),    # Fri + 1: Sunday 20 Sep is a working day
    (local(2026, 2, 13, 10), 2, local(2026, 2, 24, 18)),    # Sat 14 Feb works, then Spring Festival
    (local(2026, 12, 31, 10), 1, local(2027, 1, 1, 18)),    # 2027 has no data yet: weekdays only
    (local(2026, 11, 26, 10), 0, local(2026, 11, 26, 10)),
])
def test_adding_working_days(config: TicketConfig, start, count, due) -> None:  # type: ignore[no-untyped-def]
    assert config.calendar.add_working_days(start, count) == due


def test_a_year_without_data_counts_weekends_and_warns_once(config: TicketConfig,
                                                            caplog: pytest.LogCaptureFixture) -> None:
    calendar = parse_calendar({"timezone": "Asia/Shanghai", "workday_ends": "18:00", "weekend": [6, 7],
                               "years": {}})
    with caplog.at_level(logging.WARNING):
        assert calendar.is_working_day(date(2031, 1, 1))
        assert not calendar.is_working_day(date(2031, 1, 4))
    assert [r.message for r in caplog.records].count(
        "no holiday calendar for 2031: counting weekends only; add it to assets/tickets/calendar.yaml") == 1


def test_working_days_between(config: TicketConfig) -> None:
    assert config.calendar.working_days_between(local(2026, 9, 30, 9), local(2026, 10, 10, 9)) == 3  # 8, 9 and Saturday 10 October


@pytest.mark.parametrize("raw", [
    {"timezone": "Asia/Shanghai", "workday_ends": "18:00", "weekend": [6, 7],
     "years": {2026: {"holidays": ["2027-01-01"]}}},
    {"timezone": "Asia/Shanghai", "workday_ends": "18:00", "weekend": [6, 7],
     "years": {2026: {"holidays": ["2026-10-01"], "workdays": ["2026-10-01"]}}},
    {"timezone": "Asia/Shanghai", "workday_ends": "18:00", "weekend": [6, 7],
     "years": {2026: {"holidays": ["2026-10-07/2026-10-01"]}}},
    {"timezone": "Asia/Shanghai", "workday_ends": "six", "weekend": [6, 7]},
    {"timezone": "Asia/Shanghai", "workday_ends": "18:00", "weekend": [0]},
    {"timezone": "Mars/Base", "workday_ends": "18:00", "weekend": [6, 7]},  # no timezone: the setting's
])
def test_bad_calendars_are_refused(raw: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="calendar is not valid"):
        parse_calendar(raw)
