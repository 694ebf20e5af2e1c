"""Charts drawn as SVG on the server: axes that start at zero and end on a round number, lines
told apart without colour, bars that say their value, text escaped, long series thinned."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from backend.platform.console.charts import Series, bar_chart, line_chart, nice_ceiling, thin, time_format_for

START = datetime(2026, 11, 26, 8, 0)


@pytest.mark.parametrize(("value", "ceiling"), [(0, 1), (-3, 1), (0.7, 1), (1, 1), (3, 5), (7, 10),
                                                (12, 20), (20, 20), (21, 50), (480, 500), (501, 1000)])
def test_the_axis_ends_on_a_round_number(value: float, ceiling: float) -> None:
    assert nice_ceiling(value) == ceiling


@pytest.mark.parametrize(("seconds", "fmt"), [(30, "%H:%M:%S"), (3600, "%H:%M"), (3 * 86400, "%m-%d %H:%M")])
def test_time_labels_fit_the_span(seconds: float, fmt: str) -> None:
    assert time_format_for(seconds) == fmt


def test_lines_have_their_own_dash_and_label_their_last_value() -> None:
    points = [(START + timedelta(minutes=i), float(i)) for i in range(5)]
    svg = str(line_chart([Series("证明", points), Series("扫码 <script>", [(START, 2.0)])], title="计数"))
    assert svg.count("<polyline") == 2
    lines = re.findall(r"<polyline[^>]*>", svg)
    assert ["stroke-dasharray" in line for line in lines] == [False, True]  # not colour alone
    assert "证明: 4" in svg and "扫码 &lt;script&gt;: 2" in svg and "<script>" not in svg
    assert 'role="img"' in svg and "<title>计数</title>" in svg
    assert ">08:00:00<" in svg and ">08:04:00<" in svg  # a short span: seconds on the axis


def test_a_chart_without_points_is_empty() -> None:
    assert str(line_chart([Series("x", [])], title="t")) == ""


def test_bars_say_their_value_or_that_there_is_none() -> None:
    svg = str(bar_chart([("网格一", 0.856), ("网格二", None), ("超出", 1.7)], title="满意率", no_value="无数据"))
    assert ">86%<" in svg and ">无数据<" in svg and ">170%<" in svg
    widths = [float(w) for w in re.findall(r'<rect x="0" y="\d+" width="([\d.]+)" height="24" fill="#1f4e99"', svg)]
    assert len(widths) == 2 and widths[1] == pytest.approx(360)  # capped at the full bar, label says 170 %


def test_bar_names_are_not_cut_short() -> None:
    name = "桂林社区第一网格（海甸岛东路片区）"
    assert f">{name}<" in str(bar_chart([(name, 0.5)], title="满意率", no_value="无数据"))


def test_long_series_are_thinned_keeping_the_last_point() -> None:
    points = list(range(1000))
    kept = thin(points, limit=100)
    assert len(kept) == 100 and kept[0] == 0 and kept[-1] == 999
    assert thin(points[:50], limit=100) == points[:50]
