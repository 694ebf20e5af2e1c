"""进度查询 and 评价 as a state machine: a slip's QR shows its request; a closed one is rated once
by its slip; identified residents list theirs; a certificate is rated after printing."""

from __future__ import annotations

from typing import Any

from kiosk.state import Step
from kiosk.visit.flow import KioskFlow

from .conftest import SLIP, ticket
from .test_flow import at_step


def scan(flow: KioskFlow, text: str) -> None:
    flow.events.on_event({"type": "code.scanned", "data": {"text": text, "source": "scanner"}})


def test_a_slip_scanned_on_home_shows_its_progress(flow: KioskFlow, station: Any) -> None:
    station.tickets[SLIP] = ticket("replied", sent=True)
    scan(flow, SLIP)
    assert flow.state.step is Step.PROGRESS and flow.state.progress.ticket is not None
    assert flow.state.progress.ticket.state == "replied" and flow.state.session_id is None


def test_a_code_that_is_no_slip_says_so_and_keeps_waiting(flow: KioskFlow) -> None:
    flow.choose_service("progress")
    assert flow.state.step is Step.PROGRESS_SCAN
    scan(flow, "GD1:FORGED")
    assert flow.state.step is Step.PROGRESS_SCAN and flow.state.scan_error is not None


def test_a_closed_request_is_rated_once_by_its_slip(flow: KioskFlow, station: Any) -> None:
    station.tickets[SLIP] = ticket("closed", sent=True, can_rate=True)
    flow.choose_service("progress")
    scan(flow, SLIP)
    flow.progress.rate()
    assert flow.state.step is Step.RATE
    flow.rating.send()  # no level yet: nothing sent
    assert "rate" not in station.names()
    flow.rating.choose_level(1)
    flow.rating.toggle_reason("fast")  # a good reason does not fit a bad level
    flow.rating.toggle_reason("slow")
    flow.rating.send()
    assert dict(station.calls)["rate"] == {"target": "ticket", "level": 1, "reasons": ["slow"],
                                           "token": SLIP, "ticket_no": "GD-261126-460107002001-S01-0001"}
    assert flow.state.step is Step.THANKS
    assert [n for n in station.names() if n == "rate"] == ["rate"]


def test_an_already_rated_request_is_thanked_not_refused(flow: KioskFlow, station: Any) -> None:
    station.tickets[SLIP] = ticket("closed", sent=True, can_rate=True)
    scan(flow, SLIP)
    flow.progress.rate()
    flow.rating.choose_level(4)
    station.fail["rate"].append(station.error("ticket.already_rated", 409))
    flow.rating.send()
    assert flow.state.step is Step.THANKS


def test_a_rating_that_fails_says_why_and_can_be_skipped(flow: KioskFlow, station: Any) -> None:
    station.tickets[SLIP] = ticket("closed", sent=True, can_rate=True)
    scan(flow, SLIP)
    flow.progress.rate()
    flow.rating.choose_level(5)
    station.fail["rate"].append(station.error("network.unreachable", 0))
    flow.rating.send()
    assert flow.state.step is Step.RATE and flow.state.rating.problem is not None
    flow.rating.skip()
    assert flow.state.step is Step.THANKS


def test_identified_residents_choose_among_their_requests(flow: KioskFlow, station: Any) -> None:
    station.mine = [ticket(no="GD-1"), ticket("closed", no="GD-2")]
    flow.choose_service("progress")
    flow.progress.identify_instead()
    assert flow.state.step is Step.WAIT_CARD
    flow.events.on_event(station.identified("session-1"))
    flow.identification.confirm_identity()
    assert flow.state.step is Step.PROGRESS_LIST
    flow.progress.show("GD-2")
    assert flow.state.step is Step.PROGRESS
    flow.back()
    assert flow.state.step is Step.PROGRESS_LIST


def test_a_printed_certificate_is_rated_with_the_session_then_forgotten(flow: KioskFlow, station: Any) -> None:
    at_step(flow, station, Step.DONE)
    flow.finish()
    flow.rating.choose_level(5)
    flow.rating.toggle_reason("fast")
    flow.rating.send()
    assert dict(station.calls)["rate"] == {"target": "certificate", "level": 5, "reasons": ["fast"],
                                           "session_id": "session-1", "certificate_id": "c-1"}
    assert flow.state.step is Step.THANKS and flow.state.session_id is None
    assert flow.state.rating.target is None  # forgotten with the visit
