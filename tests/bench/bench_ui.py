"""Benchmark the kiosk UI on this machine with software rendering (Mesa llvmpipe under Xvfb).

    .venv/bin/python tests/bench/bench_ui.py [--starts 5] [--taps 30]      (or: kiosk bench ui)

1. Start to the attract screen: ``--starts`` times, spawn ``python -m kiosk`` against a running
   ``kiosk station`` + ``kiosk sim`` and read the UI's own timestamps (test-automation hook): from
   the process start (/proc) to the first frame drawn with the attract screen. Issue bar: 2 s.
2. Touch to the next screen: ``--taps`` real pointer clicks (xdotool) on buttons that change the
   screen (attract → home → verify → home → help → home …), each measured from the touch-down
   event's timestamp inside the app to the first frame drawn of the new screen. Issue bar: 100 ms.
   Also: Certificates (home → wait_card), whose screen waits for the station to start a session
   (a "Getting ready…" overlay shows meanwhile), and a 长辈模式 switch, touch to the next frame
   (every label re-renders at its new size).

Measures only; never passes or fails. Needs Debian's xvfb and xdotool.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/support

from support.stack import REPO, Process, free_port, simulators, start, station, wait_for

OUT = REPO / "test-artifacts" / "bench" / "ui.json"
ROUTE = [("attract_touch", "home"), ("tile_verify", "scan_code"), ("nav_home", "home"),
         ("tile_help", "help"), ("nav_back", "home"), ("tile_notices", "notices"),
         ("nav_back", "home")]


@contextmanager
def xvfb() -> Iterator[str]:
    read_fd, write_fd = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1280x800x24",
                               "-nolisten", "tcp", "-noreset"], pass_fds=(write_fd,),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        display = f":{pipe.readline().strip()}"
    try:
        yield display
    finally:
        server.terminate()
        server.wait(10)


class Ui:
    def __init__(self, process: Process, hook: str, display: str) -> None:
        self.process, self.hook, self.display = process, hook, display

    def get(self, path: str) -> Any:
        return httpx.get(self.hook + path, timeout=15).json()

    def state(self) -> dict[str, Any]:
        result: dict[str, Any] = self.get("/state")
        return result

    def wait(self, check: Callable[[dict[str, Any]], bool], timeout: float = 20) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                state = self.state()
                if check(state):
                    return state
            except httpx.HTTPError:
                pass
            time.sleep(0.02)
        raise TimeoutError("the kiosk UI did not get there")

    def tap(self, widget_id: str) -> None:
        target = next(w for w in self.get("/widgets") if w["id"] == widget_id and w["on_screen"])
        x, y = target["center"]["x"], target["center"]["y"]
        subprocess.run(["xdotool", "mousemove", str(x), str(y), "click", "1"], check=True,
                       env={**os.environ, "DISPLAY": self.display}, timeout=30)


@contextmanager
def kiosk_ui(station_url: str, display: str, folder: Path, token_file: Path) -> Iterator[Ui]:
    port = free_port()
    env = {"DISPLAY": display, "KIVY_NO_ARGS": "1", "SDL_AUDIODRIVER": "dummy",
           "KIOSK_STATION_TOKEN_FILE": str(token_file)}
    process = start("kiosk-ui", [sys.executable, "-m", "kiosk", "--station", station_url,
                                 "--data-dir", str(folder), "--automation-port", str(port)], folder, env)
    ui = Ui(process, f"http://127.0.0.1:{port}", display)
    try:
        wait_for(lambda: _attract_drawn(ui), process, timeout=60)
        yield ui
    finally:
        process.stop()


def _attract_drawn(ui: Ui) -> bool:
    try:
        timings = ui.state()["timings"]
    except httpx.HTTPError:
        return False
    return timings["screen"] == "attract" and timings["last_screen_frame"] is not None


def start_times(station_url: str, display: str, folder: Path, starts: int, token_file: Path) -> list[float]:
    """Seconds from process start to the attract screen's first frame, one per start."""
    seconds = []
    for n in range(starts):
        with kiosk_ui(station_url, display, folder / f"start{n}", token_file) as ui:
            timings = ui.state()["timings"]
            seconds.append(timings["last_screen_frame"] - timings["process_start"])
    return seconds


def touch_times(ui: Ui, taps: int) -> tuple[list[float], list[float], list[float]]:
    """Touch-down to the next screen's first frame (ms): screens the UI shows by itself, screens
    that wait for the station (Certificates starts a session first), and 长辈模式 switches."""
    screens: list[float] = []
    route = iter(ROUTE[1:] * (taps // (len(ROUTE) - 1) + 1))
    ui.tap("attract_touch")
    ui.wait(lambda s: s["screen"] == "home")
    ui.wait(lambda s: not next(w for w in ui.get("/widgets") if w["id"] == "tile_verify")["disabled"])
    for _ in range(taps):
        widget, screen = next(route)
        ui.tap(widget)
        state = ui.wait(lambda s, sc=screen: s["screen"] == sc and s["timings"]["last_screen_frame"])
        t = state["timings"]
        screens.append((t["last_screen_frame"] - t["last_touch_down"]) * 1000)
    station_backed = []
    for _ in range(5):
        ui.tap("tile_certificates")
        state = ui.wait(lambda s: s["screen"] == "wait_card" and s["timings"]["last_screen_frame"])
        t = state["timings"]
        station_backed.append((t["last_screen_frame"] - t["last_touch_down"]) * 1000)
        ui.tap("nav_home")
        ui.wait(lambda s: s["screen"] == "home" and s["timings"]["last_screen_frame"])
    toggles = []
    for _ in range(4):
        before = ui.state()["flow"]["elderly"]
        ui.tap("elderly_toggle")
        ui.wait(lambda s, b=before: s["flow"]["elderly"] != b)
        frame = ui.wait(lambda s: (s["timings"]["last_frame"] or 0) > s["timings"]["last_touch_down"])
        toggles.append((frame["timings"]["last_frame"] - frame["timings"]["last_touch_down"]) * 1000)
    return screens, station_backed, toggles


def summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {"n": len(values), "median": round(statistics.median(values), 3),
            "p90": round(ordered[int(0.9 * (len(values) - 1))], 3), "max": round(max(values), 3)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--taps", type=int, default=30)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-ui-") as tmp:
        data = Path(tmp) / "data"
        data.mkdir()
        with simulators(data), station(data, env={"KIOSK_PRINTER_POLL_SECONDS": "0.5"}) as running, \
                xvfb() as display:
            token = data / "station-api.token"
            starts = start_times(running.url, display, Path(tmp), args.starts, token)
            with kiosk_ui(running.url, display, Path(tmp) / "taps", token) as ui:
                screens, station_backed, toggles = touch_times(ui, args.taps)
    load = os.getloadavg()[0]
    result = {"start_to_attract_s": summary(starts), "touch_to_next_screen_ms": summary(screens),
              "touch_to_station_backed_screen_ms": summary(station_backed),
              "touch_to_elderly_mode_frame_ms": summary(toggles),
              "bars": {"start_to_attract_s": 2.0, "touch_to_next_screen_ms": 100.0},
              "machine": {"cpus": os.cpu_count(), "load_average_1min": round(load, 2),
                          "renderer": "Mesa llvmpipe under Xvfb (software)"}}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, indent=2))
    print(f"{'measure':34} {'n':>3} {'median':>9} {'p90':>9} {'max':>9}   bar")
    for name, bar in (("start_to_attract_s", "2 s"), ("touch_to_next_screen_ms", "100 ms"),
                      ("touch_to_station_backed_screen_ms", ""), ("touch_to_elderly_mode_frame_ms", "")):
        s = result[name]
        print(f"{name:34} {s['n']:>3} {s['median']:>9} {s['p90']:>9} {s['max']:>9}   {bar}")
    print(f"(load average {load:.2f} on {os.cpu_count()} CPUs; figures in {OUT.relative_to(REPO)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
