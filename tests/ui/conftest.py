"""The real kiosk app under Xvfb, driven by real pointer events (xdotool) at the positions its
test-automation hook reports. The station and simulators come from the shared stack fixtures."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from support.stack import REPO, Process, Station, free_port, start, wait_for

ARTIFACTS = REPO / "test-artifacts" / "ui"
SIZE = (1280, 800)


@pytest.fixture(scope="session")
def display() -> Iterator[str]:
    """An Xvfb server on a free display number (Xvfb picks it: -displayfd)."""
    for tool in ("Xvfb", "xdotool"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is missing: install Debian's xvfb and xdotool (scripts/setup)")
    read_fd, write_fd = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", f"{SIZE[0]}x{SIZE[1]}x24",
         "-nolisten", "tcp", "-noreset"], pass_fds=(write_fd,), stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        number = pipe.readline().strip()
    if not number:
        server.kill()
        pytest.fail("Xvfb did not start")
    try:
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(10)


@dataclass
class KioskUi:
    """The running kiosk: its hook, real taps, and what a test measures along the way."""

    process: Process
    hook: str
    display: str
    spawned_at: float
    artifacts: Path = ARTIFACTS
    taps: list[dict[str, Any]] = field(default_factory=list)

    def call(self, method: str, path: str, body: Any = None) -> Any:
        try:
            response = httpx.request(method, self.hook + path, json=body, timeout=15)
        except httpx.ReadTimeout as err:  # the UI is stuck: show where (python -X faulthandler)
            self.process.popen.send_signal(signal.SIGABRT)
            time.sleep(1)
            stuck = self.process.output().split("Current thread", 1)[-1][:3000]
            raise AssertionError(f"the kiosk UI hangs in {method} {path}:\n{stuck}") from err
        response.raise_for_status()
        return response.json()

    def state(self) -> dict[str, Any]:
        result: dict[str, Any] = self.call("GET", "/state")
        return result

    def widgets(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self.call("GET", "/widgets")
        return result

    def widget(self, widget_id: str, *, on_screen: bool = True) -> dict[str, Any]:
        """Return a widget of the current screen (by default: one the resident can see now)."""
        found = [w for w in self.widgets() if w["id"] == widget_id and (w["on_screen"] or not on_screen)]
        assert found, f"no visible widget {widget_id!r} on {self.state()['screen']}"
        return found[-1]

    def wait(self, check: Callable[[dict[str, Any]], bool], what: str, timeout: float = 15) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        state = self.state()
        while not check(state):
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}; state: {json.dumps(state)}\n"
                                     f"{self.process.output()[-3000:]}")
            time.sleep(0.05)
            state = self.state()
        return state

    def wait_screen(self, name: str, timeout: float = 15) -> dict[str, Any]:
        return self.wait(lambda s: s["screen"] == name and s["flow"]["step"] == name
                         and s["flow"]["busy"] is None, f"screen {name}", timeout)

    def tap(self, widget_id: str) -> None:
        """Touch a widget with a real pointer event at its centre."""
        state = self.state()
        target = self.widget(widget_id)
        assert not target["disabled"], f"{widget_id} is disabled"
        window = state["window"]
        x, y = window["left"] + target["center"]["x"], window["top"] + target["center"]["y"]
        self.click(f"{x} {y}", widget_id, state["screen"])

    def click(self, at: str, widget_id: str, screen: str = "") -> None:
        """Click at "x y" (screen coordinates) with xdotool: a real pointer event."""
        started = time.time()
        subprocess.run(["xdotool", "mousemove", *at.split(), "click", "1"], check=True,
                       env={**os.environ, "DISPLAY": self.display}, timeout=30)
        self.taps.append({"id": widget_id, "from": screen, "at": at, "xdotool_started": started})

    def advance(self, seconds: float) -> dict[str, Any]:
        result: dict[str, Any] = self.call("POST", "/clock/advance", {"seconds": seconds})
        return result

    def screenshot(self, name: str) -> Path:
        path = self.artifacts / f"{name}.png"
        self.call("POST", "/screenshot", {"path": str(path)})
        return path

    def wake(self) -> dict[str, Any]:
        """Touch the attract screen; return the state once home shows."""
        self.wait(lambda s: s["screen"] in ("attract", "home"), "the attract screen", timeout=20)
        if self.state()["screen"] == "attract":
            self.tap("attract_touch")
        return self.wait_screen("home")

    def problems(self) -> list[str]:
        """What makes this screen hard to use: clipped or overflowing text, text under 24 px
        (36 px in elderly mode), touch targets under 15 mm (120 px in elderly mode), text that
        leaves the window, overlapping buttons."""
        state = self.state()
        elderly = state["flow"]["elderly"]
        min_font = 36 if elderly else 24
        min_target = 95  # 15 mm at 160 DPI is 94.5 px (kiosk.ui.theme.mm)
        width, height = state["window"]["width"], state["window"]["height"]
        found, buttons, texts = [], [], []
        modal = state["flow"]["dialog"] or state["flow"]["entry"]
        on_top = ("dialog_", "entry_", "key_")  # what a dialog or keyboard leaves touchable
        for w in self.widgets():
            if not w["on_screen"] or (w["disabled"] and w["kind"] == "KioskButton"):
                continue
            label, r = w.get("label"), w["rect"]
            name = w["id"] or repr(w["text"][:30])
            overlay = name == "idle_warning"  # the banner covers the screen on purpose
            if label and w["text"].strip() and (not modal or name.startswith(on_top)) and not overlay:
                texts.append((name, w["visible"]))
            if label and w["text"].strip() and label["clipped"]:
                found.append(f"clipped: {name} {label}")
            if label and w["text"].strip() and label["font_size"] < min_font:
                found.append(f"small text: {name} {label['font_size']} px")
            if w["kind"] in ("KioskButton", "Tile") and (not modal or name.startswith(on_top)):
                buttons.append((name, w["visible"]))
                if min(r["w"], r["h"]) < min_target:
                    found.append(f"small target: {name} {r}")
            if w["text"].strip() and (r["x"] < -1 or r["y"] < -1 or r["x"] + r["w"] > width + 1
                                      or r["y"] + r["h"] > height + 1):
                found.append(f"outside the window: {name} {r}")
        for kind, boxes in (("buttons", buttons), ("texts", texts)):
            found += [f"overlapping {kind}: {a} and {b}" for i, (a, ra) in enumerate(boxes)
                      for b, rb in boxes[i + 1:] if _overlap(ra, rb)]
        return found

    def settled_problems(self) -> list[str]:
        """``problems``, looked at again a moment later if there were any: a layout caught
        between two frames (e.g. a screen moving on by itself on a slow machine) is no defect."""
        problems = self.problems()
        if problems:
            time.sleep(0.5)
            problems = self.problems()
        return problems

    def check_screen_is_usable(self) -> None:
        """Fail with every problem ``problems`` finds on the screen shown now."""
        problems = self.settled_problems()
        assert problems == [], problems


@pytest.fixture
def kiosk_ui(display: str, running_station: Station, tmp_path: Path,
             request: pytest.FixtureRequest) -> Iterator[KioskUi]:
    """``python -m kiosk.main`` on the Xvfb display, talking to the running station."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    port = free_port()
    data_dir = tmp_path / "ui"
    env = {"DISPLAY": display, "KIVY_NO_ARGS": "1", "KIVY_LOG_MODE": "MIXED",
           "KIOSK_UI_SIZE": f"{SIZE[0]}x{SIZE[1]}", "SDL_AUDIODRIVER": "dummy"}
    spawned_at = time.time()
    process = start("kiosk-ui", [sys.executable, "-X", "faulthandler", "-m", "kiosk.main", "--station", running_station.url,
                                 "--data-dir", str(data_dir), "--automation-port", str(port)],
                    data_dir, env)
    ui = KioskUi(process, f"http://127.0.0.1:{port}", display, spawned_at)
    try:
        wait_for(lambda: _first_frame(ui), process, timeout=60)
        yield ui
    finally:
        process.stop()
        logs = ARTIFACTS / "logs"
        logs.mkdir(exist_ok=True)
        shutil.copy(process.log, logs / f"{request.node.name}.log")  # to read after a failure


def _overlap(a: dict[str, int], b: dict[str, int]) -> bool:
    return (min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"]) > 2
            and min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"]) > 2)


def _first_frame(ui: KioskUi) -> bool:
    try:
        return ui.state()["timings"]["first_frame"] is not None
    except httpx.HTTPError:
        return False
