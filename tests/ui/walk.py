"""Walking the kiosk's screens: each screen reached the way a resident reaches it (real taps), then
looked at four ways — both languages, both modes — without leaving it: the hook switches language
and mode at once (the top bar's buttons are touched for real in ``test_every_screen``'s first
walk and in the English journeys), and the geometry is read after a frame drawn since.

Every look is also measured by the accessibility audit (``audit.Audit``: targets in mm, text in
px, contrast against the drawn background) — the walks are the audit's walk, so every screen the
walks reach is audited, in one app and one pass — and on every step that speaks, 再听一遍 (listen
again) is touched once and must say that step's clip again (the slower recording in elderly mode)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from kiosk.voice import PROMPTS
from support.stack import Simulators, Station

from .audit import Audit, grab
from .conftest import KioskUi, screen_problems

Combo = tuple[str, bool]
COMBOS: list[Combo] = [("zh_CN", False), ("en", False), ("en", True), ("zh_CN", True)]  # snake order
DEFAULT_PICTURES: tuple[Combo, ...] = (("zh_CN", False),)  # every combination is checked
STAFF = {"Authorization": "Bearer demo-staff-token"}


class Walk:
    """Screens checked four ways; problems gathered per screen and combination."""

    def __init__(self, ui: KioskUi, sims: Simulators, station: Station, audit: Audit) -> None:
        self.ui, self.sims, self.station, self.audit = ui, sims, station, audit
        self.problems: dict[str, list[str]] = {}
        self.checked: list[str] = []

    def check(self, name: str, opened: Callable[[], None] | None = None,
              closed: Callable[[], None] | None = None,
              pictures: tuple[Combo, ...] = DEFAULT_PICTURES) -> None:
        """Check the screen shown now in every combination, starting from the current one.
        ``opened`` (an overlay, a timer moved on) runs after each switch; ``closed`` once after."""
        state = self.ui.state()
        now = (state["lang"], state["flow"]["elderly"])
        start = COMBOS.index(now) if now in COMBOS else 0
        for turn, (lang, elderly) in enumerate(COMBOS[start:] + COMBOS[:start]):
            self.ui.look(lang, elderly)
            if opened:
                opened()
            self.ui.wait(lambda s: s["flow"]["busy"] is None or name == "printing", f"{name} not busy")
            label = f"{name}-{'elderly' if elderly else 'normal'}-{lang}"
            state, problems = self.settled()
            if (lang, elderly) in pictures:
                self.ui.screenshot(f"screens/{label}")
            below = self.audit.add(label, state, grab(self.ui.display, state["window"]), keep=False)
            if below:  # the X server may show a frame half-drawn: the app's own picture decides
                below = self.audit.add(label, state, self.ui.screenshot(f"audit/{label}"))
            problems += [f"audit: {b}" for b in below] + self.listen_again(name, state, replay=turn == 0)
            if problems:
                self.problems[label] = problems
        self.checked.append(name)
        if closed:
            closed()  # (the walk goes on in the last combination: taps find widgets by name)

    def settled(self, within: float = 1.0) -> tuple[dict[str, Any], list[str]]:
        """The screen's state and problems (``KioskUi.settled_problems``), from one reading."""
        deadline = time.monotonic() + within
        state = self.ui.state(widgets=True)
        problems = screen_problems(state)
        while problems and time.monotonic() < deadline:
            time.sleep(0.1)
            state = self.ui.state(widgets=True)
            problems = screen_problems(state)
        return state, problems

    def listen_again(self, name: str, state: dict[str, Any], *, replay: bool) -> list[str]:
        """再听一遍 shows on every step that speaks (and only there); with ``replay`` it is touched
        and must say the step's clip again, slowly in elderly mode. Not where a touch would change
        what is checked (the idle warning answers any touch; printing moves on by itself) nor
        under a dialog or keyboard."""
        flow, screen = state["flow"], state["screen"]
        clip = {"verify_result": f"verdict_{flow.get('verdict')}",
                "pickup": "error" if flow.get("pickup_problem") else "pickup"}.get(screen, screen)
        speaks = clip in PROMPTS
        button = [w for w in state["widgets"] if w["id"] == "voice_listen" and w["on_screen"] and not w["disabled"]]
        if speaks != bool(button):
            return [f"再听一遍 {'missing' if speaks else 'shown'} on {screen} (clip {clip})"]
        if (not (replay and speaks) or clip in self.audit.replayed or flow["dialog"] or flow["entry"]
                or name in ("idle_warning", "printing")):
            return []
        self.audit.replayed.add(clip)
        before = float(state["voice"].get("at", 0))
        self.ui.tap("voice_listen")
        voice = self.ui.wait(lambda s: s["voice"].get("at", 0) > before, f"{clip} said again")["voice"]
        if (voice["clip"], voice["slow"]) != (clip, flow["elderly"]):
            return [f"再听一遍 said {voice.get('clip')} (slow {voice.get('slow')}), not {clip}"]
        return []

    def go(self, widget: str, screen: str, timeout: float = 15) -> dict[str, Any]:
        return self.ui.go(widget, screen, timeout)

    def dialog(self, code: str, open_it: Callable[[], None]) -> None:
        """Open a dialog, check it four ways, close it with its button."""
        ui = self.ui

        def opened() -> None:
            if ui.state()["flow"]["dialog"] != code:
                open_it()
                ui.wait(lambda s: s["flow"]["dialog"] == code, f"the {code} dialog")

        def closed() -> None:
            ui.tap("dialog_close")
            ui.wait(lambda s: s["flow"]["dialog"] is None, "the dialog closed")

        self.check(f"dialog-{code}", opened, closed)

    def assert_no_problems(self) -> None:
        self.audit.write()
        assert self.problems == {}, "\n".join(f"{k}: {v}" for k, v in self.problems.items())


def type_on_keypad(ui: KioskUi, keys: str) -> None:
    """Touch the on-screen keyboard's keys one by one (real taps)."""
    for key in keys:
        ui.tap(f"key_{key}")
    ui.wait(lambda s: s["flow"]["entry"] is not None, "the keyboard still open")


def show_the_camera(sims: Simulators, text: str) -> None:
    """Put a picture in front of the simulated camera (what a resident holds up or points at)."""
    sims.call("POST", "/devices/camera/show", {"text": text})


def decide_application(station: Station, approve: bool, reason: str = "") -> dict[str, Any]:
    """A staff member decides the newest pending application through the station's staff API."""
    with httpx.Client(base_url=station.url, headers=STAFF, timeout=15) as http:
        pending = http.get("/api/staff/applications")
        pending.raise_for_status()
        newest = max(pending.json(), key=lambda a: a["created_at"])
        decided = http.post(f"/api/staff/applications/{newest['id']}/decision",
                            json={"approve": approve, "staff": "王社工", "reason": reason})
        decided.raise_for_status()
        result: dict[str, Any] = decided.json()
        return result


def hold(ui: KioskUi, widget_id: str, until: Callable[[dict[str, Any]], bool], what: str) -> None:
    """Press a widget and keep it pressed (real pointer events) until ``until`` holds."""
    import os
    import subprocess

    state = ui.state(widgets=True)
    target = ui.widget(widget_id, among=state["widgets"])
    x, y = state["window"]["left"] + target["center"]["x"], state["window"]["top"] + target["center"]["y"]
    env = {**os.environ, "DISPLAY": ui.display}
    subprocess.run(["xdotool", "mousemove", str(x), str(y), "mousedown", "1"], check=True, env=env)
    try:
        ui.wait(until, what, timeout=10)
    finally:
        subprocess.run(["xdotool", "mouseup", "1"], check=True, env=env)


def pictures_of(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.png"))

