"""The figures' downloads (ticket figures, daily trends, service ratings) as tables; the lists'
downloads and the route are in ``exports``."""

from __future__ import annotations

from datetime import datetime

from starlette.datastructures import QueryParams

from backend.shared.tickets.config import load_ticket_config

from ...api.routes import ticket_reads
from ...runtime import PlatformRuntime
from .. import trends
from ..export import Table
from ..i18n import words
from ..search import TicketFilter
from ..session import ConsoleUser
from .tickets import figure_range


def headings(lang: str, *keys: str) -> list[str]:
    """Column headings in the viewer's language."""
    return [words(lang, k) for k in keys]




def _range(
    params: QueryParams, runtime: PlatformRuntime, default_days: int = 30
) -> tuple[datetime, datetime]:
    return figure_range(TicketFilter.of(params), runtime, default_days)


def figures_table(user: ConsoleUser, runtime: PlatformRuntime, params: QueryParams, lang: str) -> Table:
    by = str(params.get("by", "unit"))
    by = by if by in ("unit", "category", "month") else "unit"
    since, until = _range(params, runtime, 365)
    found = ticket_reads.figures(
        user.staff,
        runtime,
        load_ticket_config(),
        by=by,  # type: ignore[arg-type]
        since=since,
        until=until,
        category=None,
    )
    rates = ("response_rate", "resolution_rate", "satisfaction_rate", "on_time_rate")
    rows = [
        [
            g["key"],
            g["tickets"],
            *[g[r] if g[r] is not None else "" for r in rates],
            g["sign_hours_mean"] if g["sign_hours_mean"] is not None else "",
        ]
        for g in [*found["groups"], {"key": words(lang, "all"), **found["total"]}]
    ]
    return Table(
        "figures",
        words(lang, "figures.title"),
        [
            words(lang, f"figures.by.{by}"),
            *headings(lang, "figures.tickets", *[f"figures.{r}" for r in rates], "figures.sign_hours"),
        ],
        rows,
    )


def trends_table(user: ConsoleUser, runtime: PlatformRuntime, params: QueryParams, lang: str) -> Table:
    since, until = _range(params, runtime)
    days = trends.daily(user, runtime, since=since, until=until)
    rows = [
        [
            d.day.isoformat(),
            d.received,
            d.closed,
            d.on_time,
            d.late,
            d.overdue_open,
            d.rating_mean if d.rating_mean is not None else "",
            d.issued,
            d.availability if d.availability is not None else "",
        ]
        for d in days
    ]
    return Table(
        "figures-daily",
        words(lang, "trends.title"),
        headings(
            lang,
            "trends.day",
            "trends.received",
            "trends.closed",
            "trends.on_time",
            "trends.late",
            "trends.overdue_open",
            "trends.rating",
            "trends.issued",
            "trends.availability",
        ),
        rows,
    )


def ratings_table(user: ConsoleUser, runtime: PlatformRuntime, params: QueryParams, lang: str) -> Table:
    found = ticket_reads.other_service_ratings(
        user.staff, runtime, load_ticket_config(), since=None, until=None
    )
    rows = [
        [
            r["station_id"],
            r["type_code"],
            r["month"],
            r["rated"],
            r["satisfaction_rate"],
            *[r["ratings"].get(str(n), 0) for n in range(5, 0, -1)],
        ]
        for r in found
    ]
    return Table(
        "ratings",
        words(lang, "ratings.title"),
        [
            *headings(
                lang,
                "col.station",
                "col.type",
                "figures.by.month",
                "ratings.rated",
                "figures.satisfaction_rate",
            ),
            "5",
            "4",
            "3",
            "2",
            "1",
        ],
        rows,
    )


