"""Services follow their required components, as in CUSS."""

from __future__ import annotations

import pytest

from backend.station.services.availability import SERVICES, Reason, ServiceState, evaluate
from devices.model import ComponentState, ComponentStatus, StatusCode

READY = ComponentStatus.ready()
CERTIFICATES = next(s for s in SERVICES if s.code == "certificates")
REQUESTS = next(s for s in SERVICES if s.code == "requests")


@pytest.mark.parametrize(
    ("printer", "state", "reason"),
    [
        (READY, ServiceState.AVAILABLE, None),
        (ComponentStatus(ComponentState.READY, StatusCode.MEDIA_LOW), ServiceState.AVAILABLE, None),
        (ComponentStatus.unavailable(StatusCode.MEDIA_EMPTY), ServiceState.UNAVAILABLE, Reason.CONSUMABLES),
        (ComponentStatus.unavailable(StatusCode.COVER_OPEN), ServiceState.UNAVAILABLE, Reason.HARDWARE),
        (ComponentStatus.unavailable(StatusCode.NOT_REACHABLE), ServiceState.UNAVAILABLE, Reason.HARDWARE),
    ],
)
def test_certificates_follow_the_printer(printer: ComponentStatus, state: ServiceState,
                                         reason: Reason | None) -> None:
    status = evaluate(CERTIFICATES, {"printer": printer, "idcard": READY})
    assert (status.state, status.reason) == (state, reason)


def test_an_empty_printer_leaves_requests_available() -> None:
    empty = ComponentStatus.unavailable(StatusCode.MEDIA_EMPTY)
    assert evaluate(REQUESTS, {"printer": empty}).state is ServiceState.AVAILABLE


def test_a_missing_component_blocks_its_service() -> None:
    status = evaluate(CERTIFICATES, {"printer": READY})
    assert status.blocking == (("idcard", "NOT_REACHABLE"),)


def test_suspension_wins_and_carries_the_staff_reason() -> None:
    status = evaluate(CERTIFICATES, {"printer": READY, "idcard": READY}, suspended_reason="设备维护")
    assert status.state is ServiceState.SUSPENDED and status.note == "设备维护"


def test_active_when_a_resident_uses_it() -> None:
    status = evaluate(CERTIFICATES, {"printer": READY, "idcard": READY}, active=True)
    assert status.state is ServiceState.ACTIVE
