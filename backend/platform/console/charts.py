"""Charts drawn as inline SVG on the server: no chart library, no CDN, readable without colour
(each line has its own dash pattern and marker, each bar its value written beside it)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from markupsafe import Markup, escape

T = TypeVar("T")
# Dark enough for 3:1 against white (WCAG 1.4.11), and told apart by dash and marker too.
PALETTE = ("#1f4e99", "#a3330b", "#2d6a1f", "#6b2d8f", "#5c5c5c")
DASHES = ("", "8 4", "2 3", "10 3 2 3", "4 4")
MARKERS = ("circle", "square", "triangle", "diamond", "circle")


@dataclass(frozen=True)
class Series:
    label: str
    points: list[tuple[datetime, float]]


def nice_ceiling(value: float) -> float:
    """Round a maximum up to 1, 2 or 5 times a power of ten (0 becomes 1)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value)


def line_chart(series: list[Series], *, title: str, width: int = 720, height: int = 260,
               time_format: str | None = None, top: float | None = None,
               between: tuple[datetime, datetime] | None = None) -> Markup:
    """Draw lines over time with a y axis from zero, a legend and end values (``top``: a fixed
    top of the y axis, e.g. 100 for percentages; ``between``: the time axis, when it should reach
    further than the points, e.g. a chosen date range; a line without points says — )."""
    left, right, margin_top, bottom = 48, 150, 16, 32
    times = [t for s in series for t, _ in s.points] + (list(between) if between else [])
    if not times:
        return Markup("")
    start, end = min(times), max(times)
    span = max((end - start).total_seconds(), 1.0)
    time_format = time_format or time_format_for(span)
    top_value = top or max(4.0, nice_ceiling(max((v for s in series for _, v in s.points), default=0)))
    plot_w, plot_h = width - left - right, height - margin_top - bottom

    def x(moment: datetime) -> float:
        return left + plot_w * (moment - start).total_seconds() / span

    def y(value: float) -> float:
        return margin_top + plot_h * (1 - value / top_value)

    parts = [_svg_open(width, height, title)]
    parts += _y_axis(top_value, left, width - right, y)
    parts += _x_axis([start, start + (end - start) / 2, end], x, height - bottom, time_format)
    for index, line in enumerate(series):
        parts += _line(line, index, x, y, width - right + 8, margin_top + 16 * index + 8)
    parts.append("</svg>")
    return Markup("".join(parts))


def time_format_for(span_seconds: float) -> str:
    """Seconds on a short axis, dates on a long one."""
    if span_seconds < 600:
        return "%H:%M:%S"
    return "%H:%M" if span_seconds < 86400 else "%m-%d %H:%M"


def _svg_open(width: int, height: int, title: str) -> str:
    label = escape(title)
    return (f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
            f'aria-label="{label}" xmlns="http://www.w3.org/2000/svg"><title>{label}</title>')


def _y_axis(top_value: float, x0: float, x1: float, y: Callable[[float], float]) -> list[str]:
    out = []
    for step in range(5):
        value = top_value * step / 4
        pos = y(value)
        out.append(f'<line x1="{x0}" y1="{pos:.1f}" x2="{x1}" y2="{pos:.1f}" stroke="#d0d4da"/>')
        out.append(f'<text x="{x0 - 6}" y="{pos + 4:.1f}" text-anchor="end" class="tick">'
                   f'{_number(value)}</text>')
    return out


def _x_axis(moments: list[datetime], x: Callable[[datetime], float], baseline: float,
            time_format: str) -> list[str]:
    anchors = ("start", "middle", "end")
    return [f'<text x="{x(m):.1f}" y="{baseline + 20}" text-anchor="{a}" class="tick">'
            f'{escape(m.strftime(time_format))}</text>' for m, a in zip(moments, anchors, strict=True)]


def _line(line: Series, index: int, x: Callable[[datetime], float], y: Callable[[float], float],
          legend_x: float, legend_y: float) -> list[str]:
    colour, dash, marker = (PALETTE[index % 5], DASHES[index % 5], MARKERS[index % 5])
    points = " ".join(f"{x(t):.1f},{y(v):.1f}" for t, v in line.points)
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    last = _number(line.points[-1][1]) if line.points else "—"
    return [
        f'<polyline fill="none" stroke="{colour}" stroke-width="2.5"{dash_attr} points="{points}"/>',
        _marker(marker, legend_x + 6, legend_y - 4, colour),
        f'<line x1="{legend_x - 4}" y1="{legend_y - 4}" x2="{legend_x + 16}" y2="{legend_y - 4}" '
        f'stroke="{colour}" stroke-width="2.5"{dash_attr}/>',
        f'<text x="{legend_x + 22}" y="{legend_y}" class="legend">{escape(line.label)}: '
        f'{last}</text>',
    ]


def _marker(shape: str, cx: float, cy: float, colour: str) -> str:
    if shape == "square":
        return f'<rect x="{cx - 4}" y="{cy - 4}" width="8" height="8" fill="{colour}"/>'
    if shape == "triangle":
        return f'<polygon points="{cx},{cy - 5} {cx + 5},{cy + 4} {cx - 5},{cy + 4}" fill="{colour}"/>'
    if shape == "diamond":
        return f'<polygon points="{cx},{cy - 5} {cx + 5},{cy} {cx},{cy + 5} {cx - 5},{cy}" fill="{colour}"/>'
    return f'<circle cx="{cx}" cy="{cy}" r="4" fill="{colour}"/>'


def bar_chart(rows: list[tuple[str, float | None]], *, title: str, no_value: str,
              width: int = 420, colour: str = PALETTE[0]) -> Markup:
    """Draw one horizontal bar per row for a rate from 0 to 1, its value written beside it. Each
    row's name is written in full on the line above its bar (a name cut short misleads)."""
    name_h, bar_h, gap, top = 20, 24, 12, 4
    row_h = name_h + bar_h + gap
    height = top + len(rows) * row_h
    plot_w = width - 60
    parts = [_svg_open(width, height, title)]
    for i, (label, value) in enumerate(rows):
        y = top + i * row_h
        parts.append(f'<text x="0" y="{y + 15}" class="bar-label">{escape(_shorten(label, 40))}</text>')
        y += name_h
        parts.append(f'<rect x="0" y="{y}" width="{plot_w}" height="{bar_h}" fill="#eef1f5"/>')
        if value is not None:
            parts.append(f'<rect x="0" y="{y}" width="{plot_w * max(0.0, min(value, 1.0)):.1f}" '
                         f'height="{bar_h}" fill="{colour}"/>')
        text = f"{value * 100:.0f}%" if value is not None else no_value
        parts.append(f'<text x="{plot_w + 6}" y="{y + 17}" class="bar-label">{escape(text)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def thin(points: list[T], limit: int = 240) -> list[T]:
    """Keep at most ``limit`` points, evenly spaced, always keeping the last."""
    if len(points) <= limit:
        return points
    step = len(points) / limit
    kept = [points[int(i * step)] for i in range(limit - 1)]
    return [*kept, points[-1]]
