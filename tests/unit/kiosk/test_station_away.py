"""While the station is away (restarting, hung) the kiosk pauses — "暂停服务，正在恢复" over the
whole screen instead of a touch that fails — and carries on when it is back, without a restart."""

from __future__ import annotations

from typing import Any

from kiosk.clock import FakeClock
from kiosk.visit.events import PAUSE_AFTER_SECONDS
from kiosk.visit.flow import KioskFlow
from kiosk.visit.snapshot import snapshot


def test_a_short_blip_shows_nothing_a_longer_absence_pauses_and_the_return_resumes(
        flow: KioskFlow, station: Any, clock: FakeClock) -> None:
    flow.events.on_connection(True)
    flow.tick()
    flow.events.on_connection(False)
    clock.advance(PAUSE_AFTER_SECONDS - 0.5)
    flow.tick()
    assert not flow.state.paused  # a blip: the event stream reconnects within it
    clock.advance(0.5)
    flow.tick()
    assert flow.state.paused and snapshot(flow)["paused"]
    station.calls.clear()
    flow.events.on_connection(True)
    assert not flow.state.paused
    assert "station" in [name for name, *_ in station.calls]  # it asks what is available again


def test_a_window_that_starts_while_the_station_is_away_pauses_too(
        flow: KioskFlow, clock: FakeClock) -> None:
    clock.advance(30)  # the window took its time to open: that is not the station's absence
    flow.tick()
    assert not flow.state.paused
    clock.advance(PAUSE_AFTER_SECONDS)
    flow.tick()
    assert flow.state.paused
