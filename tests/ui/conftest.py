"""The real kiosk app under Xvfb, driven by real pointer events (xdotool) at the positions its
test-automation hook reports. The station and simulators come from the shared stack fixtures."""

from __future__ import annotations

import json
import os
import shutil
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
        response = httpx.request(method, self.hook + path, json=body, timeout=15)
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
        target = self.widget(widget_id)
        assert not target["disabled"], f"{widget_id} is disabled"
        window = self.state()["window"]
        x, y = window["left"] + target["center"]["x"], window["top"] + target["center"]["y"]
        before = self.state()["screen"]
        started = time.time()
        subprocess.run(["xdotool", "mousemove", str(x), str(y), "click", "1"], check=True,
                       env={**os.environ, "DISPLAY": self.display}, timeout=10)
        self.taps.append({"id": widget_id, "from": before, "xdotool_started": started})

    def advance(self, seconds: float) -> dict[str, Any]:
        result: dict[str, Any] = self.call("POST", "/clock/advance", {"seconds": seconds})
        return result

    def screenshot(self, name: str) -> Path:
        path = self.artifacts / f"{name}.png"
        self.call("POST", "/screenshot", {"path": str(path)})
        return path

    def check_screen_is_usable(self) -> None:
        """No clipped text, no text under 24 px, no touch target under 90 px, on this screen."""
        problems = []
        for w in self.widgets():
            if not w["on_screen"] or not w["text"]:
                continue
            label = w.get("label")
            if label and label["clipped"]:
                problems.append(f"clipped: {w['id'] or w['text'][:30]!r} {label}")
            if label and label["font_size"] < 24:
                problems.append(f"small text: {w['text'][:30]!r} {label['font_size']} px")
            if w["kind"] in ("KioskButton", "Tile") and min(w["rect"]["w"], w["rect"]["h"]) < 90:
                problems.append(f"small target: {w['id']} {w['rect']}")
        assert problems == [], problems


@pytest.fixture
def kiosk_ui(display: str, running_station: Station, tmp_path: Path) -> Iterator[KioskUi]:
    """``python -m kiosk.main`` on the Xvfb display, talking to the running station."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    port = free_port()
    data_dir = tmp_path / "ui"
    env = {"DISPLAY": display, "KIVY_NO_ARGS": "1", "KIVY_LOG_MODE": "MIXED",
           "KIOSK_UI_SIZE": f"{SIZE[0]}x{SIZE[1]}"}
    spawned_at = time.time()
    process = start("kiosk-ui", [sys.executable, "-m", "kiosk.main", "--station", running_station.url,
                                 "--data-dir", str(data_dir), "--automation-port", str(port)],
                    data_dir, env)
    ui = KioskUi(process, f"http://127.0.0.1:{port}", display, spawned_at)
    try:
        wait_for(lambda: _first_frame(ui), process, timeout=60)
        yield ui
    finally:
        process.stop()


def _first_frame(ui: KioskUi) -> bool:
    try:
        return ui.state()["timings"]["first_frame"] is not None
    except httpx.HTTPError:
        return False
