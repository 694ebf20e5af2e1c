"""The accessibility audit on the real app under Xvfb: screens and keyboards in normal and elderly
mode, Chinese and English, measured (tests/ui/audit.py); the report is written to
test-artifacts/ui/accessibility.md (+ .tsv with every row), and anything below a limit fails."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from .audit import Row, measure, write_report
from .conftest import KioskUi
from .walk import COMBOS

pytestmark = pytest.mark.ui


def audit(ui: KioskUi, name: str, rows: list[Row], opened: Callable[[], None] | None = None) -> None:
    for lang, elderly in COMBOS:
        ui.look(lang, elderly)
        if opened:
            opened()
        ui.settled_problems()  # (waits for the frame to settle)
        label = f"{name}-{'elderly' if elderly else 'normal'}-{lang}"
        picture = ui.screenshot(f"audit/{label}")
        rows += measure(label, ui.state(widgets=True), picture)


def test_screens_meet_the_size_and_contrast_limits(kiosk_ui: KioskUi) -> None:
    ui = kiosk_ui
    rows: list[Row] = []
    try:
        ui.look("zh_CN", False)
        audit(ui, "home", rows)
        ui.look("zh_CN", False)
        ui.go("tile_help", "help")
        audit(ui, "help", rows)
        ui.go("nav_back", "home")
        ui.look("zh_CN", False)
        ui.go("tile_notices", "notices")
        audit(ui, "notices", rows)
        ui.go("nav_back", "home")
        for kind, handwriting in (("pinyin", False), ("pinyin", True), ("phone", False)):
            def opened(kind: str = kind, handwriting: bool = handwriting) -> None:
                if ui.state()["flow"]["entry"] is None:
                    ui.call("POST", "/entry", {"kind": kind})
                    ui.wait(lambda s: s["flow"]["entry"] == kind, f"the {kind} keyboard")
                has_pad = any(w["id"] == "entry_pad" for w in ui.state(widgets=True)["widgets"])
                if handwriting != has_pad:
                    ui.call("POST", "/entry/key", {"code": "mode"})

            audit(ui, f"keyboard-{kind}{'-pad' if handwriting else ''}", rows, opened)
            ui.tap("entry_cancel")
            ui.wait(lambda s: s["flow"]["entry"] is None, "the keyboard closed")
    finally:
        ui.look("zh_CN", False)
        write_report(rows, ui.artifacts / "accessibility.md")
    assert {r.measure for r in rows} == {"target_mm", "text_px", "contrast"}
    failures = [f"{r.screen} {r.widget} {r.measure} {r.value} < {r.limit}" for r in rows if not r.ok]
    assert not failures, "\n".join(failures[:40])


def test_listen_again_repeats_the_step_more_slowly_in_elderly_mode(kiosk_ui: KioskUi) -> None:
    ui = kiosk_ui
    try:
        for elderly in (False, True):
            ui.look("zh_CN", elderly)
            before: float = ui.state()["voice"].get("at", 0)

            def replayed(s: dict[str, Any], since: float = before) -> bool:
                return bool(s["voice"].get("at", 0) > since)

            ui.tap("voice_listen")  # 再听一遍: the step's instruction once more
            voice = ui.wait(replayed, "the clip replayed")["voice"]
            assert (voice["clip"], voice["played"], voice["slow"]) == ("home", True, elderly)
    finally:
        ui.look("zh_CN", False)
