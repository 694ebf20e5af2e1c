"""The working-day calendar: weekends, public holidays and make-up working days (调休) per year.

Deadlines in working days end at ``workday_ends`` (local time) of the Nth working day after the
day something started; the start day itself never counts, whatever its hour, so a ticket filed at
night and one filed in the morning of the same day are due together. Hours are clock hours, day
and night. All arithmetic happens in the calendar's time zone; results are aware datetimes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from .. import localtime
from ..errors import AppError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class YearRules:
    holidays: frozenset[date]
    workdays: frozenset[date]  # weekend days that are working days (调休上班)


@dataclass
class WorkCalendar:
    """Which days are working days, and moments counted in working days."""

    fixed_zone: ZoneInfo | None  # None: the deployment's timezone setting (the usual case)
    workday_ends: time
    weekend: frozenset[int]  # ISO weekday numbers
    years: dict[int, YearRules]
    _warned: set[int] = field(default_factory=set, repr=False, compare=False)

    @property
    def timezone(self) -> ZoneInfo:
        """The zone deadlines are counted in: the district's clock unless the file fixes one."""
        return self.fixed_zone or localtime.zone()

    def is_working_day(self, day: date) -> bool:
        rules = self._rules(day.year)
        if day in rules.workdays:
            return True
        return day.isoweekday() not in self.weekend and day not in rules.holidays

    def local(self, moment: datetime) -> datetime:
        """The moment in the calendar's time zone."""
        if moment.tzinfo is None:
            raise ValueError("naive datetime given where an aware one is required")
        return moment.astimezone(self.timezone)

    def add_working_days(self, start: datetime, count: int) -> datetime:
        """Return the end of the ``count``-th working day after the day of ``start``."""
        if count < 0:
            raise ValueError("count must be 0 or more")
        day = self.local(start).date()
        remaining = count
        while remaining:
            day += timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        if count == 0:
            return start
        return datetime.combine(day, self.workday_ends, tzinfo=self.timezone)

    def working_days_between(self, start: datetime, end: datetime) -> int:
        """Count working days after the day of ``start`` up to and including the day of ``end``."""
        first, last = self.local(start).date(), self.local(end).date()
        count, day = 0, first
        while day < last:
            day += timedelta(days=1)
            count += self.is_working_day(day)
        return count

    def _rules(self, year: int) -> YearRules:
        rules = self.years.get(year)
        if rules is None:
            if year not in self._warned:
                self._warned.add(year)
                log.warning("no holiday calendar for %d: counting weekends only; add it to "
                            "assets/tickets/calendar.yaml", year)
            return YearRules(frozenset(), frozenset())
        return rules


def parse_calendar(raw: dict[str, Any], *, source: str = "calendar.yaml") -> WorkCalendar:
    """Build a calendar from calendar.yaml's contents; raise ValueError if it is not valid."""
    try:
        hour, minute = (int(p) for p in str(raw["workday_ends"]).split(":"))
        years = {int(year): _year(int(year), spec) for year, spec in (raw.get("years") or {}).items()}
        weekend = frozenset(int(d) for d in raw["weekend"])
        if not weekend <= set(range(1, 8)):
            raise ValueError(f"weekend days must be 1..7, got {sorted(weekend)}")
        zone = localtime.parse_zone(str(raw["timezone"])) if raw.get("timezone") else None
        return WorkCalendar(zone, time(hour, minute), weekend, years)
    except (KeyError, TypeError, ValueError, AppError) as err:
        raise ValueError(f"{source}: calendar is not valid: {err}") from err


def _year(year: int, spec: dict[str, Any]) -> YearRules:
    holidays = frozenset(d for item in spec.get("holidays", []) for d in _dates(item))
    workdays = frozenset(d for item in spec.get("workdays", []) for d in _dates(item))
    stray = [d for d in holidays | workdays if d.year != year]
    if stray:
        raise ValueError(f"{year} lists days of another year: {sorted(stray)[:3]}")
    if holidays & workdays:
        raise ValueError(f"{year} lists days as both holiday and working day")
    return YearRules(holidays, workdays)


def _dates(item: Any) -> list[date]:
    if isinstance(item, date):
        return [item]
    first, _, last = str(item).partition("/")
    start = date.fromisoformat(first.strip())
    end = date.fromisoformat(last.strip()) if last else start
    if end < start:
        raise ValueError(f"range {item} ends before it starts")
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]
