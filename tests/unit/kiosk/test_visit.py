"""The visit around the journeys, without Kivy: the attract screen and waking it, home tiles and
why a service is paused, 长辈模式 and mute for one visit, the idle warning with a dialog or a
keyboard open, and the thank-you screen."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from backend.station.hardware.manager import CARD_LEFT
from kiosk.clock import FakeClock
from kiosk.dialogs import EntryKind
from kiosk.runner import ImmediateRunner
from kiosk.state import Step
from kiosk.visit.events import CARD_LEFT_DETAIL
from kiosk.visit.flow import KioskFlow
from kiosk.visit.timers import ATTRACT_SECONDS, ELDERLY_FACTOR

from .conftest import STATION


def new_flow(station: Any, clock: FakeClock) -> KioskFlow:
    flow = KioskFlow(station, ImmediateRunner(), clock)
    flow.refresh_station()
    return flow


def identified(flow: KioskFlow, station: Any) -> None:
    flow.choose_service("certificates")
    flow.events.on_event(station.identified(flow.state.session_id or ""))
    assert flow.state.step is Step.IDENTITY


def test_the_kiosk_starts_on_the_attract_screen_and_any_touch_wakes_it(station: Any,
                                                                       clock: FakeClock) -> None:
    flow = new_flow(station, clock)
    assert flow.state.step is Step.ATTRACT
    assert flow.timers.idle_warning() is None and flow.timers.idle_remaining() is None
    flow.wake()
    assert flow.state.step is Step.HOME


def test_a_card_placed_on_the_reader_wakes_the_attract_screen(station: Any, clock: FakeClock) -> None:
    flow = new_flow(station, clock)
    flow.events.on_event({"type": "card.read", "data": {}})
    assert flow.state.step is Step.HOME


def test_a_card_left_on_the_reader_before_start_up_is_asked_for_first(station: Any,
                                                                      clock: FakeClock) -> None:
    station.station_body = {**STATION, "card_present": True}
    flow = new_flow(station, clock)
    assert flow.state.step is Step.TAKE_CARD and flow.state.after_card is Step.ATTRACT
    flow.events.on_event(station.reader("no card"))
    assert flow.state.step is Step.ATTRACT
    flow.events.on_event({"type": "card.read", "data": {}})  # placed by a resident later: no reminder
    flow.events.on_event(station.reader("card present"))
    flow.refresh_station()
    assert flow.state.step is Step.HOME and flow.state.card_on_reader


def test_home_falls_back_to_the_attract_screen_and_forgets_the_visits_choices(
        flow: KioskFlow, clock: FakeClock) -> None:
    flow.toggle_elderly()
    flow.toggle_mute()
    clock.advance(ATTRACT_SECONDS * ELDERLY_FACTOR - 1)
    flow.tick()
    assert flow.state.step is Step.HOME  # elderly mode: slower
    clock.advance(1)
    flow.tick()
    assert flow.state.step is Step.ATTRACT
    assert not flow.state.elderly and not flow.state.muted


def test_elderly_mode_is_one_touch_lasts_the_visit_and_slows_the_timers(
        flow: KioskFlow, station: Any, clock: FakeClock) -> None:
    normal = flow.timers.idle_seconds
    flow.toggle_elderly()
    assert flow.state.elderly and flow.timers.idle_seconds == normal * ELDERLY_FACTOR
    identified(flow, station)
    clock.advance(normal + 1)
    flow.tick()
    assert flow.state.step is Step.IDENTITY and flow.state.elderly  # still there, still large
    assert flow.timers.idle_warning() is None
    clock.advance(normal)
    flow.tick()
    assert flow.state.step is Step.HOME and not flow.state.elderly  # visit over: the next is normal


def test_the_station_session_is_kept_alive_while_the_kiosks_slower_timer_runs(
        flow: KioskFlow, station: Any, clock: FakeClock) -> None:
    flow.toggle_elderly()
    identified(flow, station)
    before = station.names().count("get_session")
    for _ in range(6):
        clock.advance(20)
        flow.tick()
    assert station.names().count("get_session") - before == 6
    assert flow.state.step is Step.IDENTITY


@pytest.mark.parametrize("open_over", ["dialog", "keyboard"])
def test_the_idle_warning_shows_and_clears_the_visit_with_a_dialog_or_keyboard_open(
        flow: KioskFlow, station: Any, clock: FakeClock, open_over: str) -> None:
    identified(flow, station)
    if open_over == "dialog":
        flow.request_home()
        assert flow.state.dialog is not None and flow.state.dialog.code == "cancel_visit"
    else:
        flow.open_entry(EntryKind.PINYIN, "Describe the problem", "request_text")
        flow.entry_changed("路灯")
    clock.advance(flow.timers.idle_seconds - 20)
    assert flow.timers.idle_warning() == 20
    clock.advance(19.5)
    assert flow.timers.idle_warning() == 1
    clock.advance(0.5)
    flow.tick()
    assert flow.state.step is Step.HOME
    assert flow.state.dialog is None and flow.state.entry is None and flow.state.identity is None
    assert ("end_session", {"session_id": "session-1"}) in station.calls


def test_typing_on_the_keyboard_keeps_the_visit_alive(flow: KioskFlow, station: Any,
                                                      clock: FakeClock) -> None:
    identified(flow, station)
    flow.open_entry(EntryKind.PHONE, "Your phone number", "phone")
    clock.advance(flow.timers.idle_seconds - 1)
    flow.entry_changed("138")
    clock.advance(10)
    flow.tick()
    assert flow.state.entry is not None and flow.state.entry.text == "138"
    entry = flow.close_entry()
    assert entry is not None and entry.text == "138" and flow.state.entry is None


def test_home_asks_before_clearing_an_identified_resident(flow: KioskFlow, station: Any) -> None:
    identified(flow, station)
    flow.request_home()
    assert flow.state.step is Step.IDENTITY and flow.state.dialog is not None
    flow.dialog_action("close")
    assert flow.state.dialog is None and flow.state.identity is not None
    flow.request_home()
    flow.dialog_action("end_visit")
    assert flow.state.step is Step.HOME and flow.state.identity is None


def test_home_without_details_to_lose_goes_home_at_once(flow: KioskFlow) -> None:
    flow.choose_service("verify")
    flow.request_home()
    assert flow.state.step is Step.HOME and flow.state.dialog is None


def paused(station: Any, **service: Any) -> None:
    body = copy.deepcopy(STATION)
    body["services"][0].update(service)
    station.station_body = body


@pytest.mark.parametrize(("service", "says"), [
    ({"state": "UNAVAILABLE", "reason": "consumables",
      "blocking": [{"component": "printer", "code": "MEDIA_EMPTY"}]},
     "Paused: the printer is out of paper"),
    ({"state": "UNAVAILABLE", "reason": "hardware",
      "blocking": [{"component": "idcard", "code": "NOT_REACHABLE"}]},
     "Paused: the ID card reader is not working"),
    ({"state": "SUSPENDED", "reason": "internal", "note": "电梯检修，明早恢复"},
     "Suspended by the staff"),
])
def test_a_paused_tile_explains_why_and_what_to_do_and_starts_nothing(
        flow: KioskFlow, station: Any, service: dict[str, Any], says: str) -> None:
    paused(station, **service)
    flow.refresh_station()
    flow.choose_service("certificates")
    dialog = flow.state.dialog
    assert dialog is not None and dialog.code == "unavailable"
    lines = [line.en for line in dialog.lines]
    assert lines[0] == says
    assert any("12345" in line for line in lines)
    # verify is paused too in STATION; requests and progress need no device
    assert lines[-1] == "Still working here: Requests & complaints, Check progress, Notices, Help"
    if service.get("note"):
        assert "电梯检修，明早恢复" in " ".join(line.zh for line in dialog.lines)
    assert "start_session" not in station.names() and flow.state.step is Step.HOME
    flow.dialog_action("close")
    assert flow.state.dialog is None


def test_help_and_notices_open_and_back_goes_home(flow: KioskFlow) -> None:
    for code, step in (("help", Step.HELP), ("notices", Step.NOTICES)):
        flow.choose_service(code)
        assert flow.state.step is step
        flow.back()
        assert flow.state.step is Step.HOME


def test_a_service_the_station_does_not_offer_says_so(flow: KioskFlow, station: Any) -> None:
    station.station_body = {**station.station_body, "services": [
        s for s in station.station_body["services"] if s["code"] != "requests"]}
    flow.refresh_station()
    flow.choose_service("requests")
    assert flow.state.dialog is not None
    assert flow.state.dialog.lines[0].en == "Not available at this kiosk yet"


def test_the_thank_you_button_ends_the_visit_and_its_mode(flow: KioskFlow, station: Any) -> None:
    flow.toggle_elderly()
    flow.choose_service("help")
    flow.finish()
    assert flow.state.step is Step.THANKS and flow.state.elderly  # still this resident's screen
    flow.end_visit()
    assert flow.state.step is Step.HOME and not flow.state.elderly


def test_a_card_left_before_the_visit_is_asked_to_be_placed_again(station: Any, clock: FakeClock) -> None:
    flow = new_flow(station, clock)
    flow.wake()
    flow.choose_service("certificates")
    flow.events.on_event(station.reader(CARD_LEFT))  # the station will not let it identify this visit
    assert flow.state.step is Step.WAIT_CARD
    assert flow.state.card_on_reader and flow.state.card_left
    flow.events.on_event(station.reader("no card"))  # taken off: the next card placed is read
    assert not flow.state.card_on_reader and not flow.state.card_left


def test_the_kiosk_and_the_station_name_a_left_card_alike() -> None:
    assert CARD_LEFT_DETAIL == CARD_LEFT
