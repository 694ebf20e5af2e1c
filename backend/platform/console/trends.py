"""Figures over time, one value per local day, for the figures page's charts and its export:
tickets received and closed (on time or late), tickets open past their reply deadline at the end of
each day, the mean service rating, certificates issued, and the stations' availability per area.

Availability comes from the offline alerts (which open when a station falls silent and resolve when
it speaks again), so it reaches back as far as the alerts do, not only the few days of heartbeats
kept; "in service" also counts the time an ALARM alert (paper out, jam, a part down) was open.
Everything is limited to what the viewer may see: tickets by the staff API's own rule, the rest by
the viewer's communities.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import or_, select

from backend.shared import localtime

from ..db.area_models import Station
from ..db.certificate_models import CertificateRecord
from ..db.fleet_models import Alert
from ..db.ticket_models import ServiceRating, Ticket
from ..runtime import PlatformRuntime
from ..services import alerts as alert_service
from ..services.tickets.access import Actor
from ..services.tickets.figures import visible
from ..services.tickets.tree import TicketTree

MAX_DAYS = 366


@dataclass
class Day:
    day: date
    received: int = 0
    closed: int = 0
    on_time: int = 0
    late: int = 0
    overdue_open: int = 0
    rating_mean: float | None = None
    issued: int = 0
    availability: float | None = None


def day_starts(since: datetime, until: datetime) -> list[datetime]:
    """The local midnights from ``since`` up to (not including) ``until``, at most a year."""
    zone = localtime.zone()
    first = localtime.to_local(since).date()
    last = localtime.to_local(until - timedelta(microseconds=1)).date()
    count = min((last - first).days + 1, MAX_DAYS)
    return [datetime.combine(first + timedelta(days=i), time(), zone) for i in range(max(count, 0))]


def _index(starts: list[datetime], moment: datetime | None) -> int | None:
    if moment is None or not starts or moment < starts[0]:
        return None
    i = int((moment - starts[0]).total_seconds() // 86400)
    return i if i < len(starts) else None


def daily(user: Any, runtime: PlatformRuntime, *, since: datetime, until: datetime) -> list[Day]:
    """One row per local day in [since, until)."""
    starts = day_starts(since, until)
    if not starts:
        return []
    end = starts[-1] + timedelta(days=1)
    days = [Day(s.date()) for s in starts]
    communities = list(user.visible.communities)
    with runtime.db() as session:
        tree = TicketTree(session)
        query = visible(select(Ticket), Actor.of_staff(user.staff, tree), tree).where(
            Ticket.received_at < end, or_(Ticket.closed_at.is_(None), Ticket.closed_at >= starts[0]))
        for ticket in session.scalars(query):
            _count_ticket(days, starts, ticket)
        ratings = session.execute(select(ServiceRating.rated_at, ServiceRating.level).where(
            ServiceRating.community_code.in_(communities), ServiceRating.rated_at >= starts[0],
            ServiceRating.rated_at < end)).all()
        issued = session.scalars(select(CertificateRecord.issued_at).where(
            CertificateRecord.community_code.in_(communities), CertificateRecord.issued_at >= starts[0],
            CertificateRecord.issued_at < end)).all()
    levels: dict[int, list[int]] = defaultdict(list)
    for rated_at, level in ratings:
        if (i := _index(starts, rated_at)) is not None:
            levels[i].append(level)
    for i, found in levels.items():
        days[i].rating_mean = round(sum(found) / len(found), 2)
    for moment in issued:
        if (i := _index(starts, moment)) is not None:
            days[i].issued += 1
    total = availability(runtime, communities, starts, runtime.clock.now())
    for i, value in enumerate(total.get("", [])):
        days[i].availability = value
    return days


def _count_ticket(days: list[Day], starts: list[datetime], ticket: Ticket) -> None:
    if (i := _index(starts, ticket.received_at)) is not None:
        days[i].received += 1
    if (i := _index(starts, ticket.closed_at)) is not None:
        days[i].closed += 1
        if ticket.reply_late:
            days[i].late += 1
        else:
            days[i].on_time += 1
    if ticket.reply_due is None:
        return
    for i, start in enumerate(starts):  # open past its reply deadline at the end of day i
        day_end = start + timedelta(days=1)
        if ticket.received_at < day_end and ticket.reply_due < day_end and (
                ticket.closed_at is None or ticket.closed_at >= day_end):
            days[i].overdue_open += 1


def _merge(spans: list[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    """Overlapping outages (two alarms at once) count once."""
    out: list[tuple[datetime, datetime]] = []
    for start, stop in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], stop))
        else:
            out.append((start, stop))
    return out


def _overlap(a0: datetime, a1: datetime, b0: datetime, b1: datetime) -> float:
    return max(0.0, (min(a1, b1) - max(a0, b0)).total_seconds())


def availability(runtime: PlatformRuntime, communities: list[str], starts: list[datetime], now: datetime,
                 *, kinds: tuple[str, ...] = (alert_service.OFFLINE,)) -> dict[str, list[float | None]]:
    """The share of station time without an open alert of ``kinds``, per day, per community (key
    the community code) and for all of them together (key ""). A day before a station was enrolled
    does not count for it; a day in the future has no value."""
    if not starts:
        return {}
    end = starts[-1] + timedelta(days=1)
    with runtime.db() as session:
        stations = session.execute(select(Station.id, Station.community_code, Station.enrolled_at).where(
            Station.community_code.in_(communities), Station.enrolled_at.is_not(None))).all()
        outages = session.execute(select(Alert.station_id, Alert.opened_at, Alert.resolved_at).where(
            Alert.kind.in_(kinds), Alert.station_id.in_([s[0] for s in stations]), Alert.opened_at < end,
            or_(Alert.resolved_at.is_(None), Alert.resolved_at >= starts[0]))).all()
    down: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
    for station_id, opened, resolved in outages:
        down[station_id].append((opened, resolved or now))
    merged = {station_id: _merge(spans) for station_id, spans in down.items()}
    expected: dict[str, list[float]] = defaultdict(lambda: [0.0] * len(starts))
    lost: dict[str, list[float]] = defaultdict(lambda: [0.0] * len(starts))
    for station_id, community, enrolled in stations:
        if enrolled is None:
            continue
        for i, start in enumerate(starts):
            span = _overlap(start, start + timedelta(days=1), enrolled, now)
            if span <= 0:
                continue
            day_end = start + timedelta(days=1)
            gone = sum((_overlap(start, day_end, max(o, enrolled), min(r, now))
                        for o, r in merged.get(station_id, [])), 0.0)
            for key in (community, ""):
                expected[key][i] += span
                lost[key][i] += min(gone, span)
    return {key: [round(1 - lost[key][i] / total, 4) if total else None for i, total in enumerate(spans)]
            for key, spans in expected.items()}


def in_service(runtime: PlatformRuntime, communities: list[str], starts: list[datetime],
               now: datetime) -> dict[str, list[float | None]]:
    """Like :func:`availability`, also counting the time an ALARM alert (paper out, jam, …) was open."""
    alarms = tuple(k for k, level in alert_service.SEVERITY.items() if level == "ALARM")
    return availability(runtime, communities, starts, now, kinds=alarms)
