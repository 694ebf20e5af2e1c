"""Text in the console is readable: every text colour the stylesheet pairs with a background
reaches WCAG's 4.5:1 contrast (the chart lines 3:1 against white, as graphics need)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from backend.platform.console.charts import PALETTE
from backend.platform.console.web import STATIC

CSS = (Path(STATIC) / "console.css").read_text(encoding="utf-8")
VARS = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})", CSS))
WHITE = "#ffffff"
# (text, background) as the stylesheet combines them.
PAIRS = [
    ("ink", "paper"), ("ink", "card"), ("muted", "paper"), ("muted", "card"), ("link", "card"),
    ("link", "paper"), ("ok-ink", "ok-bg"), ("warn-ink", "warn-bg"), ("bad-ink", "bad-bg"),
    ("off-ink", "off-bg"), ("info-ink", "info-bg"), (WHITE, "brand"), ("brand", "card"), ("ink", "paper"),
    ("muted", "#fff7f7"), ("muted", "#fffcf0"), ("muted", "#eceff3"), ("link", "#fff7f7"), ("bad-ink", "card"),
]


def luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _colour(name: str) -> str:
    return name if name.startswith("#") else VARS[name]


@pytest.mark.parametrize(("text", "background"), PAIRS)
def test_text_contrast_is_at_least_4_5(text: str, background: str) -> None:
    assert contrast(_colour(text), _colour(background)) >= 4.5


@pytest.mark.parametrize("colour", PALETTE)
def test_chart_lines_stand_out_from_white(colour: str) -> None:
    assert contrast(colour, WHITE) >= 3.0
