"""What the station tells the platform about itself: state changes once each, and heartbeats."""

from __future__ import annotations

from backend.station.runtime import StationRuntime
from backend.station.sync.reporter import StateReporter
from devices.model import ComponentStatus, StatusCode

from .conftest import payloads


def test_component_changes_are_recorded_once_and_busy_is_not_a_change(runtime: StationRuntime) -> None:
    reporter = StateReporter(runtime)
    reporter.attach()
    start = len(payloads(runtime, "component.status"))
    printer = runtime.devices.components["printer"]
    printer.report(ComponentStatus.ready())
    printer.set_busy(True)
    printer.set_busy(False)
    printer.report(ComponentStatus.unavailable(StatusCode.MEDIA_EMPTY, "paper out"))
    printer.report(ComponentStatus.unavailable(StatusCode.MEDIA_EMPTY, "paper out"))
    mine = [p for p in payloads(runtime, "component.status")[start:] if p["id"] == "printer"]
    assert [(p["state"], p["code"]) for p in mine] == [("READY", "OK"), ("UNAVAILABLE", "MEDIA_EMPTY")]
    services = payloads(runtime, "service.state")
    assert services[-1]["state"] in ("PARTIAL", "UNAVAILABLE")
    assert "printer=MEDIA_EMPTY" in services[-1]["reason"]


def test_suspension_is_the_service_state(runtime: StationRuntime) -> None:
    reporter = StateReporter(runtime)
    runtime.suspended_reason = "盘点"
    reporter.service_changed()
    reporter.service_changed()  # unchanged: not recorded again
    states = [(p["state"], p["reason"]) for p in payloads(runtime, "service.state")]
    assert states == [("SUSPENDED", "盘点")]


def test_the_heartbeat_carries_state_backlog_and_counters(runtime: StationRuntime) -> None:
    reporter = StateReporter(runtime)
    runtime.devices.components["printer"].report(ComponentStatus(
        ComponentStatus.ready().state, StatusCode.MEDIA_LOW, "paper low"))
    reporter.attach()
    beat = reporter.heartbeat()
    assert beat.station_id == runtime.settings.station_id and beat.paper_level == "low"
    assert beat.outbox_depth == len(payloads(runtime, "component.status")) + len(payloads(runtime, "service.state"))
    assert {c.id for c in beat.components} >= {"printer", "idcard"}
    assert beat.disk_free_bytes > 0 and beat.counters.certificates == 0
