"""Emergency mode (战时) at the kiosk: polled with the station's description; while active, home's
banner leads to the emergency home: 紧急求助 shows and prints the hotline (shown even when the printer
fails), a volunteer identifies and checks in to a task group. Inactive: the entry does nothing."""

from __future__ import annotations

from typing import Any

from kiosk.state import Step
from kiosk.visit.flow import KioskFlow

ACTIVE = {"active": True, "hotline": "0898-66668888",
          "areas": [{"message": {"zh": "桂林花园封控", "en": "Guilin Garden closed"},
                     "notices": [{"title": {"zh": "物资", "en": "Supplies"},
                                  "body": {"zh": "每日9点配送", "en": "Delivered at 9"}}]}],
          "task_groups": [{"code": "supplies", "name": {"zh": "物资保障组", "en": "Supplies"}}]}


def activate(flow: KioskFlow, station: Any) -> None:
    station.emergency_body = ACTIVE
    flow.refresh_station()
    info = flow.state.emergency
    assert info is not None and info.active and info.message.zh == "桂林花园封控"
    assert info.notices[0].zh == "物资: 每日9点配送"


def test_inactive_the_emergency_entry_does_nothing(flow: KioskFlow, station: Any) -> None:
    assert "emergency" in station.names()  # polled with the station's description
    flow.choose_service("emergency")
    assert flow.state.step is Step.HOME


def test_call_for_help_shows_and_prints_the_hotline(flow: KioskFlow, station: Any) -> None:
    activate(flow, station)
    flow.choose_service("emergency")
    assert flow.state.step is Step.EMERGENCY and not flow.state.volunteer.hotline_shown
    station.fail["emergency_hotline"].append(station.error("printer.media_empty", 503))
    flow.emergency.hotline()
    assert flow.state.volunteer.hotline_shown and flow.state.step is Step.EMERGENCY  # the number still shows
    flow.emergency.hotline()
    assert [c for n, c in station.calls if n == "emergency_hotline"] == [{"print_it": True}] * 2
    flow.emergency.finish()
    assert flow.state.step is Step.HOME


def test_a_volunteer_checks_in_to_a_task_group(flow: KioskFlow, station: Any) -> None:
    activate(flow, station)
    flow.choose_service("emergency")
    flow.emergency.check_in()
    assert flow.state.step is Step.WAIT_CARD and flow.state.service == "emergency"
    flow.events.on_event(station.identified(flow.state.session_id or ""))
    flow.identification.confirm_identity()
    assert flow.state.step is Step.EMERGENCY_CHECKIN
    flow.emergency.choose_group("supplies")
    assert dict(station.calls)["emergency_checkin"] == {"session_id": "session-1", "task_group": "supplies"}
    checkin = flow.state.volunteer.checkin
    assert checkin is not None and checkin.group_name.zh == "物资保障组"
    flow.emergency.choose_group("supplies")  # once
    assert station.names().count("emergency_checkin") == 1
    flow.emergency.finish()
    assert flow.state.step is Step.THANKS and flow.state.volunteer.checkin is None


def test_my_needs_are_listed_after_identifying(flow: KioskFlow, station: Any) -> None:
    activate(flow, station)
    flow.choose_service("emergency")
    flow.emergency.my_needs()
    flow.events.on_event(station.identified(flow.state.session_id or ""))
    flow.identification.confirm_identity()
    assert flow.state.step is Step.EMERGENCY_NEEDS
    assert [n.state_words.zh for n in flow.state.volunteer.needs] == ["已接单"]
    flow.emergency.finish()
    assert flow.state.step is Step.THANKS and flow.state.volunteer.needs == []
