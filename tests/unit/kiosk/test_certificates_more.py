"""The certificate additions as a state machine: a month field (not in the future), an
application and its slip, collecting with the pickup QR, outcomes told on identification, the
resident QR code, and the phone copy's link."""

from __future__ import annotations

from typing import Any

from kiosk.state import Step
from kiosk.visit.flow import KioskFlow

from .conftest import PICKUP
from .test_flow import at_step
from .test_progress_rating import scan


def test_a_tenancy_month_is_asked_on_the_month_keypad_and_may_not_be_future(
        flow: KioskFlow, station: Any) -> None:
    at_step(flow, station, Step.CHOOSE_TYPE)
    flow.certificates.choose_type("ZZZM")
    flow.certificates.choose_purpose("other")
    assert flow.state.step is Step.CERT_FIELDS and not flow.certificates.fields_complete
    flow.certificates.edit_field("tenancy_start")
    assert flow.state.entry is not None and flow.state.entry.kind.value == "month"
    flow.state.entry.text = "2027-01"
    flow.close_entry()
    assert flow.state.field_problem and "tenancy_start" not in flow.state.fields
    flow.certificates.edit_field("tenancy_start")
    assert flow.state.entry is not None
    flow.state.entry.text = "2024-05"
    flow.close_entry()
    flow.certificates.fields_done()
    flow.certificates.confirm()
    assert dict(station.calls)["issue_certificate"]["fields"] == {"tenancy_start": "2024-05"}


def test_details_typed_for_one_type_do_not_carry_over_to_another(flow: KioskFlow, station: Any) -> None:
    at_step(flow, station, Step.CHOOSE_TYPE)
    flow.certificates.choose_type("ZZZM")
    flow.certificates.choose_purpose("other")
    flow.certificates.set_field("tenancy_start", "2024-05")
    flow.back()
    flow.back()
    flow.certificates.choose_type("PKXS")
    assert flow.state.fields == {}


def test_an_application_prints_its_slip_and_needs_no_second_apply_on_retry(
        flow: KioskFlow, station: Any) -> None:
    at_step(flow, station, Step.CHOOSE_TYPE)
    flow.certificates.choose_type("PKXS")
    flow.certificates.choose_purpose("grant")
    flow.certificates.set_field("school", "幸福小学")
    flow.certificates.fields_done()
    station.fail["print_application_slip"].append(station.error("printer.media_empty", 503))
    flow.certificates.confirm()
    assert flow.state.step is Step.ERROR
    flow.retry()
    assert flow.state.step is Step.APPLIED
    assert [n for n in station.names() if n == "apply"] == ["apply"]
    assert dict(station.calls)["apply"]["fields"] == {"school": "幸福小学"}


def test_a_pickup_qr_on_the_verify_screen_collects_the_certificate(flow: KioskFlow, station: Any) -> None:
    flow.choose_service("verify")
    scan(flow, PICKUP)
    assert flow.state.step is Step.PICKUP and flow.state.pickup_problem is None
    flow.pickup.print_it()
    assert flow.state.step is Step.DONE and station.names()[-1] == "print_pickup"


def test_a_collected_certificate_is_rated_by_its_pickup_slip_without_identity(
        flow: KioskFlow, station: Any) -> None:
    flow.choose_service("verify")
    scan(flow, PICKUP)
    flow.pickup.print_it()
    flow.finish()
    assert flow.state.step is Step.RATE
    flow.rating.choose_level(4)
    flow.rating.send()
    assert dict(station.calls)["rate"] == {"target": "certificate", "level": 4, "reasons": [],
                                           "token": PICKUP}
    assert flow.state.step is Step.THANKS and flow.state.pickup_token == ""


def test_an_application_not_approved_says_why(flow: KioskFlow, station: Any) -> None:
    station.fail["pickup"].append(station.error("application.rejected", 409, reason="不在本社区居住"))
    scan(flow, PICKUP)
    assert flow.state.step is Step.PICKUP and flow.state.pickup_problem is not None
    assert "不在本社区居住" in flow.state.pickup_problem.zh
    flow.pickup.print_it()
    assert "print_pickup" not in station.names()


def test_decisions_are_told_when_the_resident_identifies(flow: KioskFlow, station: Any) -> None:
    station.outcomes = [{"type_code": "PKXS", "state": "rejected", "reason": "材料不全"}]
    flow.certificates.start()
    event = station.identified("session-1")
    event["data"]["outcomes"] = station.outcomes
    flow.events.on_event(event)
    assert flow.state.step is Step.IDENTITY
    assert [o.reason for o in flow.state.outcomes] == ["材料不全"]
    assert flow.identification.type_name("PKXS").zh == "贫困学生证明"


def test_the_resident_code_identifies_and_a_refused_one_says_why(flow: KioskFlow, station: Any) -> None:
    flow.certificates.start()
    flow.identification.use_phone_code()
    assert flow.state.step is Step.SCAN_RESIDENT
    station.fail["identify_with_code"].append(station.error("identity.expired", 422))
    scan(flow, "SF1:OLD")
    assert flow.state.step is Step.SCAN_RESIDENT and flow.state.scan_error is not None
    scan(flow, "SF1:FRESH")
    assert flow.state.step is Step.IDENTITY and flow.state.identity is not None


def test_the_phone_copy_is_asked_again_while_the_platform_syncs(
        flow: KioskFlow, station: Any, clock: Any) -> None:
    station.link = {"available": False, "url": None, "reason": "syncing",
                    "message": {"zh": "正在同步", "en": "Syncing"}}
    at_step(flow, station, Step.DONE)
    assert flow.state.phone_link is not None and not flow.state.phone_link.available
    station.link = {"available": True, "url": "https://p.example/x", "reason": None, "message": None}
    clock.advance(3)
    flow.tick()
    assert flow.state.phone_link.available and flow.state.phone_link.url == "https://p.example/x"
