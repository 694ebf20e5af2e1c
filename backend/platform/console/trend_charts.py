"""The figures page's charts over time, drawn from :mod:`.trends` (one point per local day)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from markupsafe import Markup

from .charts import Series, line_chart
from .i18n import words
from .trends import Day

DAY_FORMAT = "%m-%d"


def _series(label: str, starts: list[datetime], values: list[float | None]) -> Series:
    return Series(label, [(s, float(v)) for s, v in zip(starts, values, strict=True) if v is not None])


def trend_charts(
    days: list[Day],
    starts: list[datetime],
    per_area: dict[str, list[float | None]],
    service: dict[str, list[float | None]],
    names: dict[str, str],
    lang: str,
) -> list[tuple[str, Markup]]:
    """(key, chart) pairs: volume, deadlines, rating, availability per area, issuances."""
    if not days:
        return []

    def w(key: str) -> str:
        return words(lang, f"trends.{key}")

    def chart(key: str, series: list[Series], **kw: Any) -> tuple[str, Markup]:
        return key, line_chart(series, title=w(key + "_chart"), time_format=DAY_FORMAT,
                               between=(starts[0], starts[-1]), **kw)

    def pct(values: list[float | None]) -> list[float | None]:
        return [None if v is None else round(v * 100, 1) for v in values]

    areas = [Series(names.get(code, code), []) for code in sorted(c for c in per_area if c)]
    areas = [
        _series(a.label, starts, pct(per_area[code]))
        for a, code in zip(areas, sorted(c for c in per_area if c), strict=True)
    ][:4]
    return [
        chart(
            "volume",
            [
                _series(w("received"), starts, [d.received for d in days]),
                _series(w("closed"), starts, [d.closed for d in days]),
            ],
        ),
        chart(
            "sla",
            [
                _series(w("on_time"), starts, [d.on_time for d in days]),
                _series(w("late"), starts, [d.late for d in days]),
                _series(w("overdue_open"), starts, [d.overdue_open for d in days]),
            ],
        ),
        chart("rating", [_series(w("rating"), starts, [d.rating_mean for d in days])], top=5),
        chart(
            "availability",
            [
                _series(w("all_areas"), starts, pct(per_area.get("", []) or [None] * len(days))),
                _series(w("in_service"), starts, pct(service.get("", []) or [None] * len(days))),
                *areas,
            ][:5],
            top=100,
        ),
        chart("issued", [_series(w("issued"), starts, [d.issued for d in days])]),
    ]
