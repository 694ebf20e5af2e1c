"""The accessibility audit on the real app under Xvfb (tests/ui/audit.py). Every screen the walks
of ``test_every_screen`` reach is measured there, in normal and elderly mode, Chinese and English
(``walk.Walk.check``: one app, one pass); here: the handwriting pad with its candidates showing,
which no walk draws on, and the check that the grabbed pixels the walks measure are the frame the
app itself draws. Report: test-artifacts/ui/accessibility.md (+ .tsv with every row); anything
below a limit fails."""

from __future__ import annotations

from typing import Any

import pytest

from .audit import Audit, grab, measure
from .conftest import KioskUi
from .test_handwriting import TEN, candidates, draw
from .walk import COMBOS

pytestmark = pytest.mark.ui


def test_the_pad_with_its_candidates_meets_the_size_and_contrast_limits(kiosk_ui: KioskUi,
                                                                          audit: Audit) -> None:
    ui = kiosk_ui
    failures: list[str] = []
    try:
        for lang, elderly in COMBOS:
            ui.look(lang, elderly)
            ui.call("POST", "/entry", {"kind": "pinyin"})
            ui.wait(lambda s: s["flow"]["entry"] == "pinyin", "the pinyin keyboard")
            if not any(w["id"] == "entry_pad" for w in ui.state(widgets=True)["widgets"]):
                ui.tap("key_mode")  # (elderly mode opens on the pad)
            ui.wait(lambda s: any(w["id"] == "entry_pad" for w in s["widgets"]), "the pad", widgets=True)
            draw(ui, TEN)
            ui.wait(lambda s: bool(candidates(s)), "candidates", widgets=True)
            ui.settled_problems()  # (waits for the frame to settle)
            label = f"keyboard-pinyin-pad-{'elderly' if elderly else 'normal'}-{lang}"
            state = ui.state(widgets=True)
            failures += [f"{label}: {f}" for f in audit.add(label, state, ui.screenshot(f"audit/{label}"))]
            ui.tap("entry_cancel")
            ui.wait(lambda s: s["flow"]["entry"] is None, "the keyboard closed")
    finally:
        ui.look("zh_CN", False)
        audit.write()
    assert not failures, "\n".join(failures[:40])


def test_the_grabbed_pixels_measure_as_the_apps_own_screenshot(kiosk_ui: KioskUi) -> None:
    """The walks measure the X server's pixels (fast); they must give what the app's own
    screenshot of the same frame gives, widget by widget."""
    ui = kiosk_ui
    ui.look("en", True)
    try:
        ui.settled_problems()
        state = ui.state(widgets=True)
        saved = measure("home", state, ui.screenshot("audit/home-own-screenshot"))
        grabbed = measure("home", state, grab(ui.display, state["window"]))
        assert len(saved) > 20 and {r.measure for r in saved} == {"target_mm", "text_px", "contrast"}
        assert [(r.widget, r.measure, r.value) for r in grabbed] == [(r.widget, r.measure, r.value) for r in saved]
    finally:
        ui.look("zh_CN", False)


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
