"""我要反映 as a state machine: every step, the anonymous rules, the offline slip, an idempotent
retry, the rating slot after filing, and the take-your-card reminder."""

from __future__ import annotations

from typing import Any

import pytest

from kiosk.state import Step
from kiosk.visit.flow import KioskFlow

from .conftest import ticket


def to_category(flow: KioskFlow) -> None:
    flow.choose_service("requests")
    assert flow.state.step is Step.REQ_CATEGORY and flow.state.session_id == "session-1"
    assert [c.code for c in flow.state.request.categories] == ["property_repairs", "environment_sanitation"]


def file_anonymously(flow: KioskFlow) -> None:
    to_category(flow)
    flow.requests.choose_category("environment_sanitation")
    assert flow.state.step is Step.WAIT_CARD and flow.requests.may_be_anonymous
    flow.requests.go_anonymous()
    flow.requests.choose_public()
    flow.requests.choose_spot("north_gate")
    flow.requests.toggle_phrase("litter")
    flow.requests.description_done()
    flow.requests.camera.skip_photo()
    flow.requests.set_confidential(False)
    flow.requests.contact_done()
    assert flow.state.step is Step.REQ_CONFIRM


def test_an_anonymous_request_is_filed_and_its_slip_printed(flow: KioskFlow, station: Any) -> None:
    file_anonymously(flow)
    flow.requests.submit()
    assert flow.state.step is Step.REQ_DONE and flow.state.request.slip_printed
    body = dict(station.calls)["file_ticket"]
    assert body | {"idempotency_key": "k"} == {
        "session_id": "session-1", "idempotency_key": "k", "category": "environment_sanitation",
        "anonymous": True, "place": {"kind": "public", "building": "", "unit": "", "landmark": "north_gate"},
        "phrases": ["litter"], "text": "", "phone": "", "confidential": False, "photo_jpeg_base64": None}
    assert station.names()[-1] == "print_ticket_slip"
    assert flow.state.request.ticket is not None and not flow.state.request.ticket.sent  # offline: said so


def test_a_category_that_needs_a_name_offers_no_anonymous_way(flow: KioskFlow) -> None:
    to_category(flow)
    flow.requests.choose_category("property_repairs")
    assert flow.state.step is Step.WAIT_CARD and not flow.requests.may_be_anonymous
    flow.requests.go_anonymous()
    assert flow.state.step is Step.WAIT_CARD and not flow.state.request.anonymous


def test_an_identified_request_needs_a_phone_and_carries_the_photo(flow: KioskFlow, station: Any) -> None:
    to_category(flow)
    flow.requests.choose_category("property_repairs")
    flow.events.on_event(station.identified("session-1"))
    flow.identification.confirm_identity()
    assert flow.state.step is Step.REQ_PLACE
    flow.requests.choose_building("9")
    flow.requests.choose_spot("7")  # not a unit of building 9
    assert flow.state.step is Step.REQ_SPOT
    flow.requests.choose_spot("2")
    flow.requests.toggle_phrase("water_leak")
    flow.requests.toggle_phrase("stair_light")
    flow.requests.toggle_phrase("water_leak")  # touched again: dropped
    flow.requests.set_text("楼道很黑")
    flow.requests.description_done()
    flow.requests.camera.take_photo()
    assert flow.state.request.preview and flow.state.step is Step.REQ_PHOTO
    flow.requests.camera.keep_photo()
    flow.requests.set_confidential(True)
    flow.requests.contact_done()
    assert flow.state.step is Step.REQ_CONTACT  # no phone yet
    flow.requests.set_phone("13800138000")
    flow.requests.contact_done()
    flow.requests.submit()
    body = dict(station.calls)["file_ticket"]
    assert body["place"] == {"kind": "building", "building": "9", "unit": "2", "landmark": ""}
    assert body["phrases"] == ["stair_light"] and body["text"] == "楼道很黑"
    assert body["phone"] == "13800138000" and body["confidential"] and not body["anonymous"]
    assert body["photo_jpeg_base64"]


def test_a_retry_after_a_lost_answer_sends_the_same_key(flow: KioskFlow, station: Any) -> None:
    file_anonymously(flow)
    station.fail["file_ticket"].append(station.error("network.timeout", 0))
    flow.requests.submit()
    assert flow.state.step is Step.ERROR
    flow.retry()
    keys = [c["idempotency_key"] for n, c in station.calls if n == "file_ticket"]
    assert len(keys) == 2 and keys[0] == keys[1]
    assert flow.state.step is Step.REQ_DONE


def test_a_slip_that_did_not_print_can_be_printed_again(flow: KioskFlow, station: Any) -> None:
    file_anonymously(flow)
    station.fail["print_ticket_slip"].append(station.error("printer.media_empty", 503))
    flow.requests.submit()
    assert flow.state.step is Step.REQ_DONE and not flow.state.request.slip_printed
    assert flow.state.request.slip_problem is not None
    flow.requests.print_slip()
    assert flow.state.request.slip_printed
    assert [n for n in station.names() if n == "file_ticket"] == ["file_ticket"]  # filed once


def test_no_camera_says_so_and_the_request_goes_on(flow: KioskFlow, station: Any) -> None:
    file_anonymously(flow)
    flow.back()
    flow.back()
    assert flow.state.step is Step.REQ_PHOTO
    station.fail["take_photo"].append(station.error("camera.not_responding", 503))
    flow.requests.camera.take_photo()
    assert flow.state.request.photo_problem and flow.state.request.preview is None
    flow.requests.camera.skip_photo()
    assert flow.state.step is Step.REQ_CONTACT


def test_after_filing_an_identified_resident_rates_a_closed_request(flow: KioskFlow, station: Any) -> None:
    to_category(flow)
    flow.requests.choose_category("environment_sanitation")
    flow.events.on_event(station.identified("session-1"))
    flow.identification.confirm_identity()
    flow.requests.choose_public()
    flow.requests.choose_spot("")
    flow.requests.toggle_phrase("litter")
    flow.requests.description_done()
    flow.requests.camera.skip_photo()
    flow.requests.set_phone("13800138000")
    flow.requests.set_confidential(False)
    flow.requests.contact_done()
    flow.requests.submit()
    station.mine = [ticket("closed", sent=True, can_rate=True, no="GD-OLD")]
    flow.finish()
    assert flow.state.step is Step.RATE and flow.state.rating.target is not None
    assert flow.state.rating.target.id == "GD-OLD"


def test_nothing_to_rate_after_filing_goes_to_thanks(flow: KioskFlow) -> None:
    file_anonymously(flow)
    flow.requests.submit()
    flow.finish()
    assert flow.state.step is Step.THANKS and flow.state.session_id is None


@pytest.mark.parametrize("detail", ["card present", "card refused: expired"])
def test_a_card_left_on_the_reader_is_asked_for_before_the_next_screen(
        flow: KioskFlow, station: Any, detail: str) -> None:
    file_anonymously(flow)
    flow.events.on_event(station.reader(detail))
    flow.requests.submit()
    flow.finish()
    assert flow.state.step is Step.TAKE_CARD and flow.state.session_id is None
    flow.events.on_event(station.reader("no card"))
    assert flow.state.step is Step.THANKS


def test_the_card_reminder_gives_up_after_a_minute(flow: KioskFlow, station: Any, clock: Any) -> None:
    to_category(flow)
    flow.events.on_event(station.reader("card present"))
    flow.home()
    assert flow.state.step is Step.TAKE_CARD
    clock.advance(61)
    flow.tick()
    assert flow.state.step is Step.HOME
