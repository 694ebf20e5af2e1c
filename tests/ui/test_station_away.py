"""While the station backend is away the kiosk window says 暂停服务，正在恢复 (Service paused,
recovering) over the whole screen instead of failing a touch, and carries on — the same window,
not restarted — as soon as the station is back. A real window under Xvfb, real simulators and a
real station that is stopped (SIGTERM), frozen (SIGSTOP: it keeps its socket but answers nothing)
and started again on the same port."""

from __future__ import annotations

import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from support.stack import Process, free_port, http_ok, kiosk, simulators, start, wait_for

from .conftest import SIZE, KioskUi, _first_frame

ARTIFACTS_NAME = "station-away"
PAUSED = {"zh_CN": "暂停服务，正在恢复", "en": "Service paused, recovering"}
CONNECTING = "正在连接服务站…"  # a tile's line until the station has said what it offers


class StationProcess:
    """``kiosk station`` on a fixed port, so it can be started again where the window expects it."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir, self.port = data_dir, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: Process | None = None

    def start(self) -> None:
        self.process = start("station", kiosk("station", "--data-dir", str(self.data_dir), "--port",
                                              str(self.port)), self.data_dir)
        wait_for(http_ok(self.url + "/api/health"), self.process, timeout=60)

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process is not None:
            self.process.stop(sig)


@pytest.fixture(scope="module")
def away_stack(display: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[KioskUi, StationProcess]]:
    data_dir = tmp_path_factory.mktemp("station-away")
    with simulators(data_dir):
        station = StationProcess(data_dir)
        station.start()
        port = free_port()
        env = {"DISPLAY": display, "KIVY_NO_ARGS": "1", "KIVY_LOG_MODE": "MIXED",
               "KIOSK_UI_SIZE": f"{SIZE[0]}x{SIZE[1]}", "SDL_AUDIODRIVER": "dummy"}
        process = start("kiosk-ui", [sys.executable, "-m", "kiosk", "--station", station.url,
                                     "--data-dir", str(data_dir), "--automation-port", str(port)],
                        data_dir / "ui", env)
        ui = KioskUi(process, f"http://127.0.0.1:{port}", display, time.time())
        ui.artifacts = ui.artifacts.parent / ARTIFACTS_NAME
        ui.artifacts.mkdir(parents=True, exist_ok=True)
        try:
            wait_for(lambda: _first_frame(ui), process, timeout=60)
            yield ui, station
        finally:
            ui.http.close()
            process.stop()
            station.stop()


def _on_screen(state: dict[str, Any]) -> list[str]:
    return [w["text"] for w in state["widgets"] if w["on_screen"]]


@pytest.mark.parametrize("how", ["stopped", "frozen"])
def test_the_window_pauses_while_the_station_is_away_and_carries_on_when_it_returns(
        away_stack: tuple[KioskUi, StationProcess], how: str) -> None:
    ui, station = away_stack
    pid = ui.process.popen.pid
    ui.wait(lambda s: s["flow"]["connected"] and not s["flow"]["paused"], "the window connected")
    ui.wake()  # a resident is looking at home when the station goes
    if how == "stopped":
        station.stop()
    else:
        assert station.process is not None
        station.process.popen.send_signal(signal.SIGSTOP)
    try:
        state = ui.wait(lambda s: s["flow"]["paused"] and PAUSED["zh_CN"] in _on_screen(s),
                        "the pause over the screen", timeout=20, widgets=True)
        # Its own words are readable (what lies under it may overlap it: it covers the screen).
        assert [p for p in ui.settled_problems() if "recovering" in p and "overlapping" not in p] == []
        ui.screenshot(f"paused-{how}-zh")
        ui.look("en", False)
        ui.wait(lambda s: PAUSED["en"] in _on_screen(s), "the English line", widgets=True)
        ui.screenshot(f"paused-{how}-en")
        ui.look("zh_CN", False)
        # A touch while paused does nothing underneath (no failed call, no new screen).
        tile = ui.widget("tile_certificates", on_screen=False, among=state["widgets"])
        window = state["window"]
        ui.click(f"{window['left'] + tile['center']['x']} {window['top'] + tile['center']['y']}",
                 "tile_certificates", state["screen"])
        after = ui.state()
        assert after["screen"] == "home" and after["flow"]["dialog"] is None and after["flow"]["busy"] is None
    finally:
        if how == "frozen":
            assert station.process is not None
            station.process.popen.send_signal(signal.SIGKILL)  # as its supervisor would
            station.process.popen.wait(10)
    station.start()
    back = ui.wait(lambda s: s["flow"]["connected"] and not s["flow"]["paused"], "the window to carry on",
                   timeout=20, widgets=True)
    assert PAUSED["zh_CN"] not in _on_screen(back)
    ui.wait(lambda s: CONNECTING not in _on_screen(s), "the services offered again", widgets=True)
    ui.screenshot(f"carried-on-{how}")
    ui.go("tile_certificates", "wait_card")  # and a touch works again
    assert ui.process.popen.pid == pid and ui.process.popen.poll() is None  # the same window
    ui.call("POST", "/reset")
