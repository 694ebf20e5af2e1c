"""The maintenance screen as a state machine: a wrong PIN is refused (and locks after three), the
right one shows devices; entering ends the visit, so no resident data is left; a test scan shows
only the code's kind and length; leaving forgets the PIN."""

from __future__ import annotations

from typing import Any

from kiosk.journeys.maintenance import scan_summary
from kiosk.state import Step
from kiosk.visit.flow import KioskFlow
from kiosk.visit.snapshot import snapshot

from .test_flow import at_step
from .test_progress_rating import scan


def enter(flow: KioskFlow, pin: str) -> None:
    flow.maintenance.open()
    assert flow.state.entry is not None and flow.state.entry.kind.value == "pin"
    flow.state.entry.text = pin
    flow.close_entry()


def test_a_wrong_pin_is_refused_and_three_lock_the_entry(flow: KioskFlow, station: Any) -> None:
    enter(flow, "1234")
    assert flow.state.step is Step.HOME and flow.state.dialog is not None
    assert flow.state.dialog.code == "wrong_pin" and flow.state.maintenance is None
    for _ in range(2):
        flow.dialog_action("close")
        enter(flow, "9999")
    flow.dialog_action("close")
    flow.maintenance.open()
    assert flow.state.entry is None and flow.state.dialog is not None  # locked for a while


def test_the_right_pin_shows_the_devices_and_tests_print(flow: KioskFlow, station: Any) -> None:
    enter(flow, "00000000")
    assert flow.state.step is Step.MAINTENANCE and flow.state.maintenance is not None
    assert [c.id for c in flow.state.maintenance.components] == ["printer"]
    flow.maintenance.test("printer")
    assert ("selftest", {"component_id": "printer", "pin": "00000000"}) in station.calls
    flow.maintenance.fault("printer", "paper_out")
    flow.maintenance.fault("printer", "")
    assert "inject_fault" in station.names() and "clear_faults" in station.names()


def test_entering_ends_the_visit_and_leaves_no_resident_data(flow: KioskFlow, station: Any) -> None:
    at_step(flow, station, Step.IDENTITY)
    flow.maintenance.open()  # the hidden entry never opens over a resident's visit
    assert flow.state.entry is None and flow.state.identity is not None
    flow.request_home()
    flow.dialog_action("end_visit")
    enter(flow, "00000000")
    assert flow.state.identity is None and flow.state.session_id is None
    assert "张三" not in repr(snapshot(flow))


def test_a_test_scan_shows_only_the_kind_and_length(flow: KioskFlow) -> None:
    enter(flow, "00000000")
    scan(flow, "HC1:SECRET-CONTENT")
    assert flow.state.maintenance is not None and flow.state.maintenance.last_scan == "HC1:… (18)"
    assert scan_summary("no prefix here") == "… (14)"


def test_leaving_forgets_the_pin(flow: KioskFlow, station: Any) -> None:
    enter(flow, "00000000")
    flow.request_home()
    assert flow.state.step is Step.HOME and flow.state.maintenance is None
    flow.maintenance.test("printer")
    assert "selftest" not in station.names()
