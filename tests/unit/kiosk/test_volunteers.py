"""志愿者签到 as a state machine against the fake station: identify, sign in to a duty (slip),
sign out (slip with hours), one's hours printed on request; someone not in the register is told."""

from __future__ import annotations

from typing import Any

from kiosk.state import Step
from kiosk.visit.flow import KioskFlow


def identified(flow: KioskFlow, station: Any) -> None:
    flow.choose_service("volunteers")
    assert flow.state.step is Step.WAIT_CARD and flow.state.service == "volunteers"
    flow.events.on_event(station.identified(flow.state.session_id or ""))
    flow.identification.confirm_identity()


def test_a_volunteer_signs_in_then_out_and_takes_the_slips(flow: KioskFlow, station: Any) -> None:
    identified(flow, station)
    assert flow.state.step is Step.VOL_DUTY
    info = flow.state.volunteer.info
    assert info is not None and info.name == "张三" and info.open_duty is None
    assert [k.code for k in flow.state.volunteer.kinds] == ["patrol", "watch"]
    flow.volunteers.sign_out()  # no open duty: nothing to sign out of
    assert "duty_sign_out" not in station.names()
    flow.volunteers.sign_in("patrol")
    assert dict(station.calls)["duty_sign_in"] == {"session_id": "session-1", "kind": "patrol"}
    assert flow.state.step is Step.VOL_DONE and flow.state.volunteer.duty is not None
    assert flow.state.volunteer.duty.ended_at is None
    flow.volunteers.finish()
    assert flow.state.step is Step.THANKS and flow.state.volunteer.info is None

    flow.end_visit()
    identified(flow, station)
    info = flow.state.volunteer.info
    assert info is not None and info.open_duty is not None and info.open_duty.kind == "patrol"
    flow.volunteers.sign_in("watch")  # already on duty: no second sign-in
    assert station.names().count("duty_sign_in") == 1
    flow.volunteers.sign_out()
    duty = flow.state.volunteer.duty
    assert flow.state.step is Step.VOL_DONE and duty is not None and duty.hours == 2.5


def test_own_hours_are_shown_and_printed_on_request(flow: KioskFlow, station: Any) -> None:
    identified(flow, station)
    flow.volunteers.show_hours()
    assert flow.state.step is Step.VOL_HOURS and not flow.state.volunteer.hours_printed
    assert dict(station.calls)["volunteer_hours"]["print_it"] is False
    flow.volunteers.print_hours()
    assert flow.state.volunteer.hours_printed
    assert [c["print_it"] for n, c in station.calls if n == "volunteer_hours"] == [False, True]


def test_someone_not_in_the_register_is_told_plainly(flow: KioskFlow, station: Any) -> None:
    station.volunteer = None
    identified(flow, station)
    assert flow.state.step is Step.VOL_DUTY
    assert flow.state.volunteer.info is None and flow.state.volunteer.problem is not None
    flow.volunteers.sign_in("patrol")
    flow.volunteers.show_hours()
    assert "duty_sign_in" not in station.names() and "volunteer_hours" not in station.names()


def test_a_failed_sign_in_looks_again_before_trying_again(flow: KioskFlow, station: Any) -> None:
    identified(flow, station)
    station.fail["duty_sign_in"].append(station.error("printer.media_empty", 503))
    flow.volunteers.sign_in("patrol")
    assert flow.state.step is Step.ERROR
    flow.retry()
    assert flow.state.step is Step.VOL_DUTY and station.names().count("volunteer_me") == 2
