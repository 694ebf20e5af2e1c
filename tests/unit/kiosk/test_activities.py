"""社区活动 as a state machine: list and detail without identity; signing up identifies first and
prints the slip; a full activity offers the waiting list; one's sign-ups are listed and cancelled;
an HD1: ticket scanned at the kiosk checks in once, a second scan is refused in the station's words."""

from __future__ import annotations

from typing import Any

from kiosk.state import Step
from kiosk.visit.flow import KioskFlow

from .fake_community import activity


def scan(flow: KioskFlow, text: str) -> None:
    flow.events.on_event({"type": "code.scanned", "data": {"text": text, "source": "scanner"}})


def identify(flow: KioskFlow, station: Any) -> None:
    assert flow.state.step is Step.WAIT_CARD
    flow.events.on_event(station.identified(flow.state.session_id or ""))
    assert flow.state.step is Step.IDENTITY
    flow.identification.confirm_identity()


def test_the_list_and_an_activity_need_no_identity(flow: KioskFlow, station: Any) -> None:
    flow.activities.start()
    assert flow.state.step is Step.ACTIVITIES and flow.state.session_id is None
    flow.activities.show("a-1")
    assert flow.state.step is Step.ACTIVITY and flow.state.activities.activity is not None
    flow.back()
    assert flow.state.step is Step.ACTIVITIES
    assert "start_session" not in station.names()


def test_signing_up_identifies_then_prints_the_slip(flow: KioskFlow, station: Any) -> None:
    flow.activities.start()
    flow.activities.show("a-1")
    flow.activities.sign_up()
    identify(flow, station)
    assert flow.state.step is Step.ACTIVITY_DONE
    signup = flow.state.activities.signup
    assert signup is not None and signup.state == "confirmed" and flow.state.activities.slip_printed
    assert dict(station.calls)["start_session"] == {"service": "activities"}
    assert station.names()[-2:] == ["sign_up", "print_signup_slip"]
    flow.finish()
    assert flow.state.step is Step.THANKS and flow.state.activities.signup is None


def test_a_full_activity_offers_the_waiting_list(flow: KioskFlow, station: Any) -> None:
    station.activity_list = [activity(capacity=1, confirmed=1)]
    flow.activities.start()
    flow.activities.show("a-1")
    assert flow.state.activities.activity is not None and flow.state.activities.activity.full
    flow.activities.sign_up()
    identify(flow, station)
    signup = flow.state.activities.signup
    assert signup is not None and signup.state == "waiting" and signup.position == 1


def test_a_slip_that_does_not_print_keeps_the_sign_up(flow: KioskFlow, station: Any) -> None:
    station.fail["print_signup_slip"].append(station.error("printer.media_empty", 503))
    flow.activities.start()
    flow.activities.show("a-1")
    flow.activities.sign_up()
    identify(flow, station)
    draft = flow.state.activities
    assert flow.state.step is Step.ACTIVITY_DONE and not draft.slip_printed
    assert draft.slip_problem is not None and "printer.media_empty" in draft.slip_problem.en


def test_a_failed_sign_up_retries_with_the_same_key(flow: KioskFlow, station: Any) -> None:
    station.fail["sign_up"].append(station.error("network.timeout", 0))
    flow.activities.start()
    flow.activities.show("a-1")
    flow.activities.sign_up()
    identify(flow, station)
    assert flow.state.step is Step.ERROR
    flow.retry()
    assert flow.state.step is Step.ACTIVITY_DONE
    keys = [kwargs["key"] for name, kwargs in station.calls if name == "sign_up"]
    assert len(keys) == 2 and keys[0] == keys[1]


def test_my_sign_ups_are_listed_and_cancelled(flow: KioskFlow, station: Any) -> None:
    station.signups["k"] = {"id": "s-9", "activity_id": "a-1", "title": "换花节", "place": "广场",
                            "starts_at": "2027-02-12T19:00:00+08:00", "state": "confirmed",
                            "position": None}
    flow.activities.start()
    flow.activities.mine()
    identify(flow, station)
    assert flow.state.step is Step.MY_SIGNUPS and [s.id for s in flow.state.activities.signups] == ["s-9"]
    flow.activities.cancel("s-9")
    assert flow.state.step is Step.MY_SIGNUPS and flow.state.activities.signups == []
    assert ("cancel_signup", {"signup_id": "s-9", "session_id": flow.state.session_id}) in station.calls


def test_a_ticket_checks_in_once(flow: KioskFlow, station: Any) -> None:
    scan(flow, "HD1:TICKET")
    assert flow.state.step is Step.CHECKIN and flow.state.activities.checked_in is not None
    flow.conclude()
    flow.end_visit()
    scan(flow, "HD1:TICKET")
    draft = flow.state.activities
    assert flow.state.step is Step.CHECKIN and draft.checked_in is None
    assert draft.checkin_problem is not None and draft.checkin_problem.zh == "这张票已经签到过了。"


def test_a_ticket_is_not_taken_while_a_resident_is_identifying(flow: KioskFlow, station: Any) -> None:
    flow.certificates.start()
    scan(flow, "HD1:TICKET")
    assert flow.state.step is Step.WAIT_CARD and "check_in" not in station.names()
