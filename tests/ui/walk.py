"""Walking the kiosk's screens: each screen reached the way a resident reaches it (real taps), then
looked at four ways — both languages, both modes — without leaving it: the hook switches language
and mode at once (the top bar's buttons are touched for real in ``test_every_screen``'s first
walk and in the English journeys), and the geometry is read after a frame drawn since."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from support.stack import Simulators, Station

from .conftest import KioskUi

Combo = tuple[str, bool]
COMBOS: list[Combo] = [("zh_CN", False), ("en", False), ("en", True), ("zh_CN", True)]  # snake order
DEFAULT_PICTURES: tuple[Combo, ...] = (("zh_CN", False),)  # every combination is checked
STAFF = {"Authorization": "Bearer demo-staff-token"}


class Walk:
    """Screens checked four ways; problems gathered per screen and combination."""

    def __init__(self, ui: KioskUi, sims: Simulators, station: Station) -> None:
        self.ui, self.sims, self.station = ui, sims, station
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
        for lang, elderly in COMBOS[start:] + COMBOS[:start]:
            self.ui.look(lang, elderly)
            if opened:
                opened()
            self.ui.wait(lambda s: s["flow"]["busy"] is None or name == "printing", f"{name} not busy")
            label = f"{name}-{'elderly' if elderly else 'normal'}-{lang}"
            problems = self.ui.settled_problems()
            if problems:
                self.problems[label] = problems
            if (lang, elderly) in pictures:
                self.ui.screenshot(f"screens/{label}")
        self.checked.append(name)
        if closed:
            closed()  # (the walk goes on in the last combination: taps find widgets by name)

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

