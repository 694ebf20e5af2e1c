"""The real kiosk app under Xvfb, driven by real pointer events (xdotool) at the positions its
test-automation hook reports, against real station and simulator processes.

One Xvfb, one ``kiosk sim``, one ``kiosk station`` and one kiosk app serve the whole UI session
(starting them takes seconds; the suite has a time budget). Each test starts from what the next
resident would find: the hook's ``POST /reset`` ends any visit and shows home in Chinese, the
simulators' faults are cleared and no card lies on the reader. What the station stored in earlier
tests (certificates, requests, applications) stays, so tests look only at what they made.

The app is started with an ID card already on the reader — as after a power cut mid-visit — so
the start-up reminder to take it (``test_startup.py``) needs no second start."""

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

from support.stack import (
    REPO,
    Process,
    Simulators,
    Station,
    free_port,
    poll,
    simulators,
    start,
    station,
    wait_for,
)

ARTIFACTS = REPO / "test-artifacts" / "ui"
SIZE = (1280, 800)
CARD_FRESH_SECONDS = 2.0  # a card on the reader longer than this was left by someone
SETTLE_SECONDS = 0.1  # a button this long in one place is where the screen put it
DEVICES = ("printer", "scanner", "idcard", "camera")
RESERVED = ("dialog_", "entry_", "key_")  # what a dialog or keyboard leaves touchable
BUTTONS = ("KioskButton", "LanguageButton", "ChoiceButton", "IconButton", "Tile", "EmergencyBanner")


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


@pytest.fixture(scope="session")
def ui_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("ui-stack")


@pytest.fixture(scope="session")
def sims(ui_data_dir: Path) -> Iterator[Simulators]:
    """``kiosk sim``, shared by the UI session (overrides the per-test fixture)."""
    with simulators(ui_data_dir) as running:
        yield running


@pytest.fixture(scope="session")
def running_station(ui_data_dir: Path, sims: Simulators) -> Iterator[Station]:
    """``kiosk station`` with the simulators as its devices, shared by the UI session."""
    with station(ui_data_dir, env={"KIOSK_PRINTER_POLL_SECONDS": "0.5",
                                   "KIOSK_CARD_FRESH_SECONDS": str(CARD_FRESH_SECONDS)}) as running:
        yield running


@dataclass
class KioskUi:
    """The running kiosk: its hook, real taps, and what a test measures along the way."""

    process: Process
    hook: str
    display: str
    spawned_at: float
    artifacts: Path = ARTIFACTS
    taps: list[dict[str, Any]] = field(default_factory=list)
    startup: dict[str, Any] = field(default_factory=dict)  # what showed first (test_startup)
    http: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=15))

    def call(self, method: str, path: str, body: Any = None) -> Any:
        try:
            response = self.http.request(method, self.hook + path, json=body)
        except httpx.ReadTimeout as err:  # the UI is stuck: show where (python -X faulthandler)
            self.process.popen.send_signal(signal.SIGABRT)
            time.sleep(1)
            stuck = self.process.output().split("Current thread", 1)[-1][:3000]
            raise AssertionError(f"the kiosk UI hangs in {method} {path}:\n{stuck}") from err
        response.raise_for_status()
        return response.json()

    def state(self, *, widgets: bool = False) -> dict[str, Any]:
        """The hook's state (with ``widgets``: the visible widgets too, in the same call)."""
        result: dict[str, Any] = self.call("GET", "/state?widgets=1" if widgets else "/state")
        return result

    def widgets(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self.call("GET", "/widgets")
        return result

    def texts(self) -> list[str]:
        return [w["text"] for w in self.widgets()]

    def widget(self, widget_id: str, *, on_screen: bool = True,
               among: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        """Return a widget of the current screen (by default: one the resident can see now)."""
        found = [w for w in (among if among is not None else self.widgets())
                 if w["id"] == widget_id and (w["on_screen"] or not on_screen)]
        assert found, f"no visible widget {widget_id!r} on {self.state()['screen']}"
        return found[-1]

    def wait(self, check: Callable[[dict[str, Any]], bool], what: str, timeout: float = 15, *,
             widgets: bool = False) -> dict[str, Any]:
        """Poll the state (with ``widgets``: and the widgets) until ``check`` holds."""
        deadline = time.monotonic() + timeout
        state = self.state(widgets=widgets)
        while not check(state):
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}; state: {json.dumps(state)[:3000]}\n"
                                     f"{self.process.output()[-3000:]}")
            time.sleep(0.03)
            state = self.state(widgets=widgets)
        return state

    def wait_screen(self, name: str, timeout: float = 15) -> dict[str, Any]:
        return self.wait(lambda s: s["screen"] == name and s["flow"]["step"] == name
                         and s["flow"]["busy"] is None, f"screen {name}", timeout)

    def wait_text(self, text: str, timeout: float = 15) -> dict[str, Any]:
        """Wait until ``text`` is on screen (exactly, as one widget's text)."""
        return self.wait(lambda s: text in [w["text"] for w in s["widgets"]], repr(text), timeout,
                         widgets=True)

    def tap(self, widget_id: str, timeout: float = 10) -> None:
        """Touch a widget with a real pointer event at its centre, once it shows, is enabled and
        has stayed put for a few frames (as a person waits for a button to appear and the screen
        to settle: a button just added is laid out on a later frame)."""
        seen: dict[str, Any] = {}

        def ready(s: dict[str, Any]) -> bool:
            found = [w for w in s["widgets"] if w["id"] == widget_id and w["on_screen"] and not w["disabled"]]
            if not found:
                return False
            rect, now = found[-1]["rect"], time.monotonic()
            if seen.get("rect") != rect:
                seen.update(rect=rect, since=now)
            return bool(now - seen["since"] >= SETTLE_SECONDS)

        state = self.wait(ready, f"{widget_id} to show, enabled, in place", timeout, widgets=True)
        target = self.widget(widget_id, among=state["widgets"])
        window = state["window"]
        x, y = window["left"] + target["center"]["x"], window["top"] + target["center"]["y"]
        self.click(f"{x} {y}", widget_id, state["screen"])

    def click(self, at: str, widget_id: str, screen: str = "") -> None:
        """Click at "x y" (screen coordinates) with xdotool: a real pointer event; return once the
        app's widgets have handled it. (No delay after the click: xdotool's default waits 100 ms
        for a double click that never comes.)"""
        started = time.time()
        subprocess.run(["xdotool", "mousemove", *at.split(), "click", "--delay", "0", "1"], check=True,
                       env={**os.environ, "DISPLAY": self.display}, timeout=30)
        self.taps.append({"id": widget_id, "from": screen, "at": at, "xdotool_started": started})
        self.wait(lambda s: (s["timings"]["last_touch_handled"] or 0) > started, f"{widget_id} touched")

    def go(self, widget_id: str, screen: str, timeout: float = 15) -> dict[str, Any]:
        """Tap and wait for the next screen."""
        self.tap(widget_id)
        return self.wait_screen(screen, timeout)

    def advance(self, seconds: float) -> dict[str, Any]:
        result: dict[str, Any] = self.call("POST", "/clock/advance", {"seconds": seconds})
        return result

    def screenshot(self, name: str) -> Path:
        path = self.artifacts / f"{name}.png"
        self.call("POST", "/screenshot", {"path": str(path)})
        return path

    def look(self, lang: str, elderly: bool) -> None:
        """Switch language and mode through the hook; return once a frame was drawn after it."""
        state = self.state()
        if (state["lang"], state["flow"]["elderly"]) == (lang, elderly):
            return
        switched = self.call("POST", "/look", {"lang": lang, "elderly": elderly})["switched_at"]
        self.wait(lambda s: (s["timings"]["last_frame"] or 0) > switched, "a frame after the switch")

    def wake(self) -> dict[str, Any]:
        """Touch the attract screen; return the state once home shows."""
        self.wait(lambda s: s["screen"] in ("attract", "home"), "the attract screen", timeout=20)
        if self.state()["screen"] == "attract":
            self.tap("attract_touch")
        return self.wait_screen("home")

    def problems(self) -> list[str]:
        """What makes this screen hard to use: clipped or overflowing text, text under 24 px
        (36 px in elderly mode), touch targets under 15 mm, text that leaves the window,
        overlapping texts or buttons."""
        return screen_problems(self.state(widgets=True))

    def settled_problems(self, within: float = 1.0) -> list[str]:
        """``problems``, looked at again for up to ``within`` seconds while there are any: a
        layout caught between two frames (e.g. a screen moving on by itself) is no defect."""
        deadline = time.monotonic() + within
        problems = self.problems()
        while problems and time.monotonic() < deadline:
            time.sleep(0.1)
            problems = self.problems()
        return problems

    def check_screen_is_usable(self) -> None:
        """Fail with every problem ``problems`` finds on the screen shown now."""
        problems = self.settled_problems()
        assert problems == [], problems


def screen_problems(state: dict[str, Any]) -> list[str]:
    """The problems of the screen described by ``state`` (GET /state?widgets=1)."""
    elderly = state["flow"]["elderly"]
    min_font = 36 if elderly else 24
    min_target = 95  # 15 mm at 160 DPI is 94.5 px (kiosk.ui.theme.mm)
    width, height = state["window"]["width"], state["window"]["height"]
    found, buttons, texts = [], [], []
    modal = state["flow"]["dialog"] or state["flow"]["entry"]
    for w in state["widgets"]:
        if not w["on_screen"] or (w["disabled"] and w["kind"] in BUTTONS and w["kind"] != "Tile"):
            continue
        label, r = w.get("label"), w["rect"]
        name = w["id"] or repr(w["text"][:30])
        overlay = name == "idle_warning"  # the banner covers the screen on purpose
        has_text = bool(label and w["text"].strip())
        if has_text and (not modal or name.startswith(RESERVED)) and not overlay:
            texts.append((name, w["visible"]))
        if has_text and label["clipped"]:
            found.append(f"clipped: {name} {label}")
        if has_text and label["font_size"] < min_font:
            found.append(f"small text: {name} {label['font_size']} px")
        if w["kind"] in BUTTONS and (not modal or name.startswith(RESERVED)):
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


@pytest.fixture(scope="session")
def kiosk_app(display: str, running_station: Station, sims: Simulators, ui_data_dir: Path) -> Iterator[KioskUi]:
    """``python -m kiosk`` on the Xvfb display, started once with a card left on the reader."""
    shutil.rmtree(ARTIFACTS, ignore_errors=True)  # no stale pictures
    ARTIFACTS.mkdir(parents=True)
    sims.insert_card("1")
    with running_station.client() as http:
        poll(lambda: http.get("/api/station").json()["card_present"], "the station to see the card", 15)
    port = free_port()
    env = {"DISPLAY": display, "KIVY_NO_ARGS": "1", "KIVY_LOG_MODE": "MIXED",
           "KIOSK_UI_SIZE": f"{SIZE[0]}x{SIZE[1]}", "SDL_AUDIODRIVER": "dummy",
           "KIOSK_STATION_TOKEN_FILE": str(running_station.data_dir / "station-api.token")}
    spawned_at = time.time()
    process = start("kiosk-ui", [sys.executable, "-X", "faulthandler", "-m", "kiosk",
                                 "--station", running_station.url, "--data-dir", str(ui_data_dir / "ui"),
                                 "--automation-port", str(port)], ui_data_dir / "ui", env)
    ui = KioskUi(process, f"http://127.0.0.1:{port}", display, spawned_at)
    try:
        wait_for(lambda: _first_frame(ui), process, timeout=60)
        _record_startup(ui, sims)
        yield ui
    finally:
        ui.http.close()
        process.stop()
        logs = ARTIFACTS / "logs"
        logs.mkdir(exist_ok=True)
        shutil.copy(process.log, logs / "kiosk-ui.log")  # to read after a failure


def _record_startup(ui: KioskUi, sims: Simulators) -> None:
    """Keep what the kiosk showed first (a reminder, if it works), then take the card away."""
    try:
        state = ui.wait(lambda s: s["screen"] == "take_card", "the take-your-card reminder", timeout=20)
        ui.startup = {"screen": state["screen"], "problems": ui.settled_problems(),
                      "texts": ui.texts(), "picture": str(ui.screenshot("00-take-card-at-start-up"))}
    except AssertionError as err:
        ui.startup = {"screen": ui.state()["screen"], "error": str(err)[:500]}
    sims.remove_card()


@pytest.fixture(scope="session")
def audit(kiosk_app: KioskUi) -> Iterator[Any]:
    """The session's accessibility audit (``audit.Audit``), reported in accessibility.md."""
    from .audit import Audit  # (audit imports this module)

    found = Audit(ARTIFACTS / "accessibility.md")
    try:
        yield found
    finally:
        found.write()


@pytest.fixture
def kiosk_ui(kiosk_app: KioskUi, sims: Simulators) -> KioskUi:
    """The shared kiosk, as the next resident finds it: home, in Chinese, no card, no faults."""
    ui = kiosk_app
    for device in DEVICES:
        sims.clear(device)
    sims.remove_card()
    ui.call("POST", "/reset")
    ui.wait(lambda s: s["screen"] in ("home", "take_card") and s["flow"]["step"] in ("home", "take_card"),
            "home after the reset")
    if ui.state()["screen"] == "take_card":  # the card's removal is still on its way
        ui.wait_screen("home")
    ui.taps = []
    return ui


def new_jobs(sims: Simulators, before: int, count: int = 1, timeout: float = 30) -> list[dict[str, Any]]:
    """The printer jobs after the first ``before`` ones (waiting for ``count`` of them)."""
    return sims.wait_for_jobs(before + count, timeout)[before:]


def job_text(sims: Simulators, job: dict[str, Any]) -> str:
    return (Path(sims.endpoints["jobs_dir"]) / f"{job['id']:04d}.txt").read_text(encoding="utf-8")


def _overlap(a: dict[str, int], b: dict[str, int]) -> bool:
    return (min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"]) > 2
            and min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"]) > 2)


def _first_frame(ui: KioskUi) -> bool:
    try:
        return ui.state()["timings"]["first_frame"] is not None
    except httpx.HTTPError:
        return False
