"""The accessibility audit, measured: from the widget tree the app reports and a screenshot of the
same frame, every touch target in millimetres on the target panel, every text's size in window
pixels, and the WCAG contrast of every text against the background it is drawn on.

Target panel: 21.5 inches, 1920 × 1080 (102.5 DPI). The kiosk scales its sizes to the window's
height (``kiosk.ui.theme.set_scale_for``), so a target measured on the test window is that many
millimetres on the panel after scaling by 1080 / window height. Text is measured in the window's
own pixels (the project's promise is written for its 800-line reference window, as the theme's).
The background of a text is the commonest colour in its box on the screenshot (the text's own
pixels are fewer); its colour is the label's."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image

from kiosk.ui.theme import contrast

from .conftest import BUTTONS, RESERVED

PANEL_INCHES, PANEL_SIZE = 21.5, (1920, 1080)
PANEL_DPI = math.hypot(*PANEL_SIZE) / PANEL_INCHES
TARGET_MM = 15.0
TEXT_PX = {False: 24, True: 36}
CONTRAST = {False: 4.5, True: 7.0}


@dataclass(frozen=True)
class Row:
    screen: str
    widget: str
    measure: str  # target_mm | text_px | contrast
    value: float
    limit: float

    @property
    def ok(self) -> bool:
        return self.value >= self.limit


def measure(screen: str, state: dict[str, Any], picture: Path | Image.Image) -> list[Row]:
    """Rows for every target and text on the frame ``state`` describes and ``picture`` shows (a
    file, or the window's pixels as grabbed)."""
    elderly = bool(state["flow"]["elderly"])
    window_h = state["window"]["height"]
    to_mm = PANEL_SIZE[1] / window_h / PANEL_DPI * 25.4
    modal = state["flow"]["dialog"] or state["flow"]["entry"]
    banner = next((w["visible"] for w in state["widgets"] if w["id"] == "idle" and w["on_screen"]), None)
    rows: list[Row] = []
    if isinstance(picture, Image.Image):
        image = picture.convert("RGB")
    else:
        with Image.open(picture) as shot:
            image = shot.convert("RGB")
    for w in state["widgets"]:
        name = w["id"] or repr(w["text"][:20])
        covered = modal and not name.startswith(RESERVED)  # under a dialog or keyboard
        if name in ("idle", "idle_warning"):
            covered = False  # the banner lies above everything, dialogs and keyboards too
        elif banner is not None and _overlap(w["visible"], banner):
            covered = True  # under the idle warning: its colours are the banner's
        if not w["on_screen"] or covered:
            continue
        if w["kind"] in BUTTONS and not (w["disabled"] and w["kind"] != "Tile"):
            r = w["rect"]
            rows.append(Row(screen, name, "target_mm", round(min(r["w"], r["h"]) * to_mm, 1),
                            TARGET_MM))
        label = w.get("label")
        if not label or not w["text"].strip():
            continue
        rows.append(Row(screen, name, "text_px", label["font_size"], TEXT_PX[elderly]))
        background = _background(image, w["visible"])
        if background is not None and label["color"][3] > 0:
            ratio = contrast((*label["color"][:3], 1.0), background)
            rows.append(Row(screen, name, "contrast", round(ratio, 2), CONTRAST[elderly]))
    return rows


def _overlap(a: dict[str, int], b: dict[str, int]) -> bool:
    return (min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"]) > 2
            and min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"]) > 2)


def _background(image: Image.Image, box: dict[str, int]) -> tuple[float, float, float, float] | None:
    left, top = max(0, box["x"]), max(0, box["y"])
    right, bottom = min(image.width, box["x"] + box["w"]), min(image.height, box["y"] + box["h"])
    if right - left < 2 or bottom - top < 2:
        return None
    crop = image.crop((left, top, right, bottom))
    crop.thumbnail((120, 120), Image.Resampling.NEAREST)  # no blending of colours
    pixels: list[tuple[int, int, int]] = list(crop.get_flattened_data())  # type: ignore[arg-type]
    (r, g, b), _count = Counter(pixels).most_common(1)[0]
    return (r / 255, g / 255, b / 255, 1.0)


def write_report(rows: list[Row], path: Path) -> None:
    """A Markdown table of every failure and a summary per measure (all rows in a .tsv beside it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.with_suffix(".tsv").open("w", encoding="utf-8") as out:
        out.write("screen\twidget\tmeasure\tvalue\tlimit\tok\n")
        for row in rows:
            out.write(f"{row.screen}\t{row.widget}\t{row.measure}\t{row.value}\t{row.limit}\t{row.ok}\n")
    lines = [f"# Accessibility audit ({PANEL_INCHES}\" {PANEL_SIZE[0]}×{PANEL_SIZE[1]} panel, "
             f"{PANEL_DPI:.1f} DPI)\n", "| measure | checked | below the limit | smallest | limit |",
             "|---|---|---|---|---|"]
    for measure_name in ("target_mm", "text_px", "contrast"):
        picked = [r for r in rows if r.measure == measure_name]
        if picked:
            low = min(picked, key=lambda r: r.value / r.limit)
            lines.append(f"| {measure_name} | {len(picked)} | {sum(not r.ok for r in picked)} | "
                         f"{low.value} ({low.screen}: {low.widget}) | {low.limit} |")
    screens = list(dict.fromkeys(r.screen.rsplit("-", 2)[0] for r in rows))
    lines += ["", f"{len(screens)} screens, each in normal and elderly mode, Chinese and English: "
              + ", ".join(screens) + "."]
    failures = [r for r in rows if not r.ok]
    lines += ["", "| screen | widget | measure | value | limit |", "|---|---|---|---|---|"]
    lines += [f"| {r.screen} | {r.widget} | {r.measure} | {r.value} | {r.limit} |" for r in failures]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


class Audit:
    """The rows of a UI session's audit, gathered screen by screen as the walks go (one app, one
    pass: ``walk.Walk.check`` measures every screen it checks, in every combination); the report
    is written when asked and at the session's end."""

    def __init__(self, report: Path) -> None:
        self.report = report
        self.rows: list[Row] = []
        self.replayed: set[str] = set()  # clips whose 再听一遍 was touched (once each is enough)

    def add(self, screen: str, state: dict[str, Any], picture: Path | Image.Image, *,
            keep: bool = True) -> list[str]:
        """Measure one frame; return what is below a limit (the rows kept unless ``keep`` is
        false and something is below: a grab to be measured again from the app's screenshot)."""
        rows = measure(screen, state, picture)
        if keep or all(r.ok for r in rows):
            self.rows += rows
        return [f"{r.widget} {r.measure} {r.value} < {r.limit}" for r in rows if not r.ok]

    def write(self) -> None:
        write_report(self.rows, self.report)


def grab(display: str, window: dict[str, int]) -> Image.Image:
    """The window's pixels as the X server shows them now (no file, no work for the app)."""
    from PIL import ImageGrab

    left, top = window["left"], window["top"]
    return ImageGrab.grab(bbox=(left, top, left + window["width"], top + window["height"]),
                          xdisplay=display)
