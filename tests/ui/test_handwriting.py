"""The handwriting pad on the pinyin keyboard: strokes drawn with real pointer events (xdotool
mousedown, moves, mouseup) on the pad, the recognizer's candidates in the row above it, one picked
by a real tap. Normal mode reaches the pad by its key; elderly mode opens Chinese entry on it."""

from __future__ import annotations

import itertools
import os
import subprocess
import time
from typing import Any

import pytest

from .conftest import SETTLE_SECONDS, KioskUi

pytestmark = pytest.mark.ui

# Strokes in fractions of the pad (x right, y down), in stroke order, as a person writes them.
BIG = [[(0.13, 0.36), (0.87, 0.35)],
       [(0.5, 0.1), (0.44, 0.55), (0.17, 0.9)],
       [(0.5, 0.4), (0.7, 0.7), (0.88, 0.88)]]
TEN = [[(0.13, 0.47), (0.87, 0.45)], [(0.5, 0.1), (0.51, 0.93)]]


def draw(ui: KioskUi, strokes: list[list[tuple[float, float]]]) -> None:
    """Write on the pad with the pointer: one press, a move every few pixels, one release a stroke."""
    seen: dict[str, Any] = {}

    def settled(s: dict[str, Any]) -> bool:  # as a person waits for the pad to stop moving
        pads = [w["rect"] for w in s["widgets"] if w["id"] == "entry_pad" and w["on_screen"]]
        if not pads:
            return False
        if seen.get("rect") != pads[-1]:
            seen.update(rect=pads[-1], since=time.monotonic())
        return bool(time.monotonic() - seen["since"] >= SETTLE_SECONDS)

    state = ui.wait(settled, "the pad in place", widgets=True)
    pad = ui.widget("entry_pad", among=state["widgets"])["rect"]
    left, top = state["window"]["left"] + pad["x"], state["window"]["top"] + pad["y"]
    env = {**os.environ, "DISPLAY": ui.display}
    for stroke in strokes:
        points = [stroke[0]]
        for (x0, y0), (x1, y1) in itertools.pairwise(stroke):
            points += [(x0 + (x1 - x0) * i / 12, y0 + (y1 - y0) * i / 12) for i in range(1, 13)]
        at = [(str(round(left + x * pad["w"])), str(round(top + y * pad["h"]))) for x, y in points]
        # A finger rests a moment where it lands, moves at a writing pace (a segment in about a
        # third of a second: faster, and the software-rendered frames here sample the path too
        # sparsely to keep its corners), and is lifted between strokes for longer still.
        command = ["xdotool", "mousemove", *at[0], "mousedown", "1", "sleep", "0.05"]
        for x, y in at[1:]:
            command += ["mousemove", x, y, "sleep", "0.03"]
        subprocess.run([*command, "mouseup", "1", "sleep", "0.2"], check=True, env=env, timeout=30)


def candidates(state: dict[str, Any]) -> list[str]:
    found = sorted((w for w in state["widgets"] if w["id"].startswith("entry_written_") and w["on_screen"]),
                   key=lambda w: int(w["id"].rsplit("_", 1)[1]))
    return [w["text"] for w in found]


def entry_text(ui: KioskUi) -> str:
    return str(ui.widget("entry_text")["text"])


def pick(ui: KioskUi, char: str) -> None:
    try:
        state = ui.wait(lambda s: char in candidates(s), f"{char} among the candidates", widgets=True)
    except AssertionError:
        ui.screenshot(f"handwriting-not-{ord(char):x}")  # what was written, what was offered
        raise
    ui.tap(f"entry_written_{candidates(state).index(char)}")
    ui.wait(lambda s: s["voice"].get("said") == char and s["voice"].get("spoken"), f"{char} read aloud")


def test_writing_a_character_and_picking_it(kiosk_ui: KioskUi) -> None:
    ui = kiosk_ui
    ui.look("zh_CN", False)
    ui.call("POST", "/entry", {"kind": "pinyin"})
    ui.tap("key_mode")
    ui.wait(lambda s: any(w["id"] == "entry_pad" for w in s["widgets"]), "the pad", widgets=True)
    draw(ui, BIG)
    state = ui.wait(lambda s: bool(candidates(s)), "candidates", widgets=True)
    first = ui.widget("entry_written_0", among=state["widgets"])
    assert all(first["rect"]["w"] > ui.widget(f"entry_written_{i}", among=state["widgets"])["rect"]["w"]
               for i in range(1, len(candidates(state))))  # the likeliest drawn largest
    ui.screenshot("handwriting-pad")
    pick(ui, "大")
    assert entry_text(ui).startswith("大")
    ui.wait(lambda s: not candidates(s), "the pad cleared for the next character", widgets=True)

    draw(ui, TEN)  # 十, then take its last stroke back: the candidates follow (一)
    ui.wait(lambda s: "十" in candidates(s), "十 among the candidates", widgets=True)
    ui.tap("key_undo")
    pick(ui, "一")
    ui.tap("key_，")
    assert entry_text(ui).startswith("大一，")
    ui.tap("entry_cancel")
    ui.wait(lambda s: s["flow"]["entry"] is None, "the keyboard closed")


def test_elderly_mode_opens_chinese_entry_on_the_larger_pad(kiosk_ui: KioskUi) -> None:
    ui = kiosk_ui
    ui.look("zh_CN", False)
    ui.call("POST", "/entry", {"kind": "pinyin"})
    ui.tap("key_mode")
    normal = ui.wait(lambda s: any(w["id"] == "entry_pad" for w in s["widgets"]), "the pad", widgets=True)
    ui.tap("entry_cancel")
    ui.wait(lambda s: s["flow"]["entry"] is None, "the keyboard closed")
    ui.look("zh_CN", True)
    try:
        ui.call("POST", "/entry", {"kind": "pinyin"})
        state = ui.wait(lambda s: any(w["id"] == "entry_pad" and w["on_screen"] for w in s["widgets"]),
                        "the pad, without asking for it", widgets=True)
        # The screen's height bounds the pad (the elderly bars above it are taller): it stays
        # within a few pixels of the normal one, while its keys and candidates grow.
        pad = ui.widget("entry_pad", among=state["widgets"])["rect"]
        assert pad["h"] >= 0.95 * ui.widget("entry_pad", among=normal["widgets"])["rect"]["h"]
        undo = ui.widget("key_undo", among=state["widgets"])
        assert undo["label"]["font_size"] > ui.widget("key_undo", among=normal["widgets"])["label"]["font_size"]
        assert undo["rect"]["h"] >= 96 and not undo["label"]["clipped"]
        draw(ui, TEN)
        ui.screenshot("handwriting-pad-elderly")
        pick(ui, "十")
        assert entry_text(ui).startswith("十")
        ui.tap("entry_cancel")
        ui.wait(lambda s: s["flow"]["entry"] is None, "the keyboard closed")
    finally:
        ui.look("zh_CN", False)
