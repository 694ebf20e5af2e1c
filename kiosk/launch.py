"""Starting the kiosk UI: ``run(station_url, data_dir=…)`` is what ``kiosk ui`` calls.

Kivy is imported only inside ``run`` (after its environment is set), so importing this module
is cheap and safe anywhere.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from .automation import ENV_PORT
from .capture import CAPTURE_REQUESTED, answer_capture
from .client import TOKEN_FILE, StationClient, StationToken
from .clock import MonotonicClock
from .event_stream import EventListener, events_url
from .runner import ThreadRunner
from .visit.flow import KioskFlow

log = logging.getLogger(__name__)

ENV_IDLE = "KIOSK_UI_IDLE_SECONDS"
ENV_TOKEN = "KIOSK_STATION_TOKEN_FILE"  # where the station writes its API token, if not in data_dir


def run(station_url: str, *, data_dir: Path, fullscreen: bool = False,
        automation_port: int | None = None, idle_seconds: float | None = None) -> None:
    """Run the kiosk UI against the station at ``station_url`` until the window closes.

    ``automation_port`` (or KIOSK_UI_AUTOMATION_PORT) turns on the test-automation hook;
    ``idle_seconds`` (or KIOSK_UI_IDLE_SECONDS) overrides the station's session idle time;
    KIOSK_UI_SIZE=WxH sets the window size (default 1280x800).
    """
    from .ui import bootstrap
    from .ui.timing import Timings, process_start_time

    timings = Timings(process_start=process_start_time())
    bootstrap.prepare(data_dir, size=bootstrap.window_size(), fullscreen=fullscreen)
    bootstrap.register_font()
    from kivy.clock import Clock

    from .ui.kivy_app import KioskApp

    def on_ui(call: object) -> None:
        Clock.schedule_once(lambda _dt: call(), 0)  # type: ignore[operator]

    token = StationToken(token_file(data_dir))
    client = StationClient(station_url, token=token)
    runner = ThreadRunner(on_ui)
    clock = MonotonicClock()
    flow = KioskFlow(client, runner, clock, idle_seconds=idle_seconds or _env_float(ENV_IDLE))
    from .ui.screenshots import grab_jpeg

    def dispatch(event: dict[str, Any]) -> None:
        if event.get("type") == CAPTURE_REQUESTED:  # staff asked for the screen
            answer_capture(event, grab=grab_jpeg, client=client, runner=runner,
                           visit_under_way=flow.state.session_id is not None)
        else:
            flow.events.on_event(event)

    listener = EventListener(events_url(station_url),
                             on_event=lambda event: on_ui(lambda: dispatch(event)),
                             on_connection=lambda up: on_ui(lambda: flow.events.on_connection(up)),
                             token=token)
    port = automation_port if automation_port is not None else _env_int(ENV_PORT)
    log.info("kiosk UI for station %s (data in %s)", station_url, data_dir)
    KioskApp(flow=flow, client=client, listener=listener, runner=runner, clock=clock,
             timings=timings, automation_port=port).run()


def _env_int(name: str) -> int | None:
    value = os.environ.get(name, "").strip()
    return int(value) if value else None


def _env_float(name: str) -> float | None:
    value = os.environ.get(name, "").strip()
    return float(value) if value else None


def token_file(data_dir: Path) -> Path:
    """The station's API token file: KIOSK_STATION_TOKEN_FILE, else the shared data folder's."""
    explicit = os.environ.get(ENV_TOKEN)
    return Path(explicit) if explicit else data_dir / TOKEN_FILE
