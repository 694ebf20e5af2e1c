"""Figures of ticket handling, per unit, category or month:

    response rate      signed for on time / (signed for + waiting past the sign-for deadline)
    resolution rate    closed as resolved / closed (resolved and unresolved are counted apart)
    on-time rate       closed with the reply on time / closed
    satisfaction rate  final rating 3 or better (基本满意 and above) / rated
    time to sign for   hours from dispatch to sign-for (mean and median)
    returns per ticket returns (退单) / tickets

A rate is None when nothing was counted. The final rating is the follow-up one when there is one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from statistics import mean, median
from typing import Any
from zoneinfo import ZoneInfo

SATISFIED_AT_OR_ABOVE = 3


@dataclass(frozen=True)
class TicketFigureRow:
    """What figures need to know of one ticket."""

    category: str
    unit: str | None  # the unit that has or had it (None: never dispatched)
    received_at: datetime
    dispatched_at: datetime | None
    signed_at: datetime | None
    sign_late: bool
    waiting_past_sign_due: bool
    closure: str | None
    reply_late: bool
    returns: int
    final_rating: int | None
    reopened: bool


def month_of(moment: datetime, timezone: ZoneInfo) -> str:
    return moment.astimezone(timezone).strftime("%Y-%m")


def _rate(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def summarise(rows: list[TicketFigureRow]) -> dict[str, Any]:
    """The figures of a group of tickets."""
    signed = [r for r in rows if r.signed_at is not None]
    closed = [r for r in rows if r.closure is not None]
    rated = [r.final_rating for r in rows if r.final_rating is not None]
    waits = [(r.signed_at - r.dispatched_at).total_seconds() / 3600 for r in signed
             if r.dispatched_at is not None and r.signed_at is not None]
    resolved = sum(r.closure == "resolved" for r in closed)
    return {
        "tickets": len(rows),
        "signed": len(signed),
        "closed_resolved": resolved,
        "closed_unresolved": len(closed) - resolved,
        "rated": len(rated),
        "reopened": sum(r.reopened for r in rows),
        "response_rate": _rate(sum(not r.sign_late for r in signed),
                               len(signed) + sum(r.waiting_past_sign_due for r in rows)),
        "resolution_rate": _rate(resolved, len(closed)),
        "on_time_rate": _rate(sum(not r.reply_late for r in closed), len(closed)),
        "satisfaction_rate": _rate(sum(level >= SATISFIED_AT_OR_ABOVE for level in rated), len(rated)),
        "ratings": {str(level): rated.count(level) for level in range(5, 0, -1)},
        "sign_hours_mean": round(mean(waits), 2) if waits else None,
        "sign_hours_median": round(median(waits), 2) if waits else None,
        "returns_per_ticket": round(sum(r.returns for r in rows) / len(rows), 4) if rows else None,
    }


def group_key(by: str, timezone: ZoneInfo) -> Callable[[TicketFigureRow], str]:
    """How to group rows: by unit, category or month."""
    keys: dict[str, Callable[[TicketFigureRow], str]] = {
        "unit": lambda r: r.unit or "unassigned",
        "category": lambda r: r.category,
        "month": lambda r: month_of(r.received_at, timezone),
    }
    if by not in keys:
        raise ValueError(f"group by one of {sorted(keys)}")
    return keys[by]


def figures(rows: Iterable[TicketFigureRow], *, by: str, timezone: ZoneInfo) -> dict[str, Any]:
    """Figures for every group and for all tickets together."""
    key = group_key(by, timezone)
    groups: dict[str, list[TicketFigureRow]] = defaultdict(list)
    every = list(rows)
    for row in every:
        groups[key(row)].append(row)
    return {"by": by, "total": summarise(every),
            "groups": [{"key": k, **summarise(v)} for k, v in sorted(groups.items())]}
