"""核验证明 as a state machine, without Kivy: scan → the station's verdict → plain words; the
token's unverified claims are never taken as fact; timers and failures."""

from __future__ import annotations

from typing import Any

import pytest

from kiosk.clock import FakeClock
from kiosk.journeys.verify import CHECKING, NOT_CHECKED, UNREADABLE, VERDICTS, verdict_view
from kiosk.records import VerificationResult
from kiosk.runner import QueuedRunner
from kiosk.state import Step
from kiosk.visit.flow import KioskFlow
from kiosk.visit.scans import SIM_FAILED, scanner_simulated, simulate_scan
from kiosk.visit.timers import RESULT_SECONDS, THANKS_SECONDS

from .conftest import GENUINE, STATION, TAMPERED


@pytest.fixture(autouse=True)
def scanner_ready(station: Any) -> None:
    """The fake station's scanner works in these tests (its default has it unreachable)."""
    services = [{**s, "state": "AVAILABLE", "reason": None, "blocking": []} for s in STATION["services"]]
    station.station_body = {**STATION, "services": services}


def scanned(text: str) -> dict[str, Any]:
    return {"type": "code.scanned", "data": {"source": "scanner", "text": text, "symbology": "QRCODE"}}


def at_scan(flow: KioskFlow) -> KioskFlow:
    flow.refresh_station()
    flow.choose_service("verify")
    assert flow.state.step is Step.SCAN_CODE and flow.state.service == "verify"
    return flow


def test_a_genuine_certificate_shows_its_verified_details(flow: KioskFlow, station: Any) -> None:
    at_scan(flow).events.on_event(scanned("HC1:GOOD"))
    assert ("verify", {"token": "HC1:GOOD"}) in station.calls
    result = flow.state.verification
    assert flow.state.step is Step.VERIFY_RESULT and result is not None and result.genuine
    assert result.claims is not None and result.claims.holder_name == "张三"
    assert verdict_view(result).show_details


def test_a_tampered_certificate_never_shows_what_it_claims(flow: KioskFlow) -> None:
    at_scan(flow).events.on_event(scanned("HC1:BAD"))
    result = flow.state.verification
    assert result is not None and result.verdict == "tampered" and result.claims is None
    assert not verdict_view(result).show_details
    assert "李四" not in repr(flow.state)  # the forged name is nowhere in the state


@pytest.mark.parametrize("verdict", sorted(VERDICTS))
def test_every_verdict_has_an_icon_and_words_not_only_a_colour(verdict: str) -> None:
    view = VERDICTS[verdict]
    assert view.icon and view.headline and view.explanation
    assert view.show_details is (verdict == "genuine")


@pytest.mark.parametrize("body", [
    {**GENUINE, "verdict": "genuinely_fine"},  # an unknown verdict is not good news
    {**TAMPERED, "claims": {"holder_name": "李四"}},  # claims of a refused token are ignored
])
def test_unexpected_answers_are_read_safely(body: dict[str, Any]) -> None:
    result = VerificationResult.parse(body)
    assert not result.genuine and result.claims is None


def test_a_scan_is_checked_while_the_resident_sees_what_the_kiosk_waits_for(station: Any,
                                                                            clock: FakeClock) -> None:
    runner = QueuedRunner()
    flow = KioskFlow(station, runner, clock)
    flow.refresh_station()
    runner.run_all()
    flow.wake()
    at_scan(flow)
    runner.run_all()
    flow.events.on_event(scanned("HC1:GOOD"))
    assert flow.state.busy == CHECKING and flow.state.step is Step.SCAN_CODE
    flow.events.on_event(scanned("HC1:BAD"))  # a second scan while checking is ignored
    runner.run_all()
    assert flow.state.busy is None and flow.state.verification is not None
    assert flow.state.verification.genuine


def test_scans_elsewhere_are_ignored(flow: KioskFlow, station: Any) -> None:
    flow.events.on_event(scanned("HC1:GOOD"))
    assert "verify" not in station.names() and flow.state.step is Step.HOME


def test_an_unreadable_code_says_how_to_scan_and_keeps_waiting(flow: KioskFlow) -> None:
    at_scan(flow).events.on_event({"type": "code.unreadable", "data": {"source": "scanner"}})
    assert flow.state.step is Step.SCAN_CODE and flow.state.scan_problem == UNREADABLE
    flow.events.on_event(scanned("HC1:GOOD"))
    assert flow.state.scan_problem is None and flow.state.step is Step.VERIFY_RESULT


def test_a_code_that_is_no_certificate_gets_its_own_answer(flow: KioskFlow) -> None:
    at_scan(flow).events.on_event(scanned("https://example.com"))
    assert flow.state.verification is not None and flow.state.verification.verdict == "malformed"


def test_a_station_failure_asks_to_scan_again(flow: KioskFlow, station: Any) -> None:
    station.fail["verify"].append(station.error("network.unreachable", 0))
    at_scan(flow).events.on_event(scanned("HC1:GOOD"))
    assert flow.state.step is Step.SCAN_CODE and flow.state.scan_problem == NOT_CHECKED


def test_the_demo_button_asks_the_station_and_says_so_if_it_fails(flow: KioskFlow, station: Any) -> None:
    assert scanner_simulated(flow.state)
    at_scan(flow)
    simulate_scan(flow)
    assert station.calls[-1] == ("simulate_scan", {"sample": "latest_certificate"})
    assert flow.state.scan_problem is None
    station.fail["simulate_scan"].append(station.error("sim.not_available", 404))
    simulate_scan(flow)
    assert flow.state.scan_problem == SIM_FAILED


@pytest.mark.parametrize(("service", "sample"), [("progress", "latest_ticket_slip"),
                                                 ("verify", "latest_certificate")])
def test_the_demo_button_scans_what_the_screen_waits_for(flow: KioskFlow, station: Any, service: str,
                                                         sample: str) -> None:
    flow.choose_service(service)
    simulate_scan(flow)
    assert station.calls[-1] == ("simulate_scan", {"sample": sample})


def test_the_demo_button_does_nothing_with_a_real_scanner(flow: KioskFlow, station: Any) -> None:
    station.station_body = {**station.station_body, "simulated": {"scanner": False}}
    flow.refresh_station()
    at_scan(flow)
    simulate_scan(flow)
    assert "simulate_scan" not in station.names()


def test_the_result_goes_to_thanks_then_home_by_itself_and_forgets(flow: KioskFlow,
                                                                   clock: FakeClock) -> None:
    at_scan(flow).events.on_event(scanned("HC1:GOOD"))
    clock.advance(RESULT_SECONDS - 10)
    flow.touch()  # reading the details: the timer starts again
    clock.advance(RESULT_SECONDS - 1)
    flow.tick()
    assert flow.state.step is Step.VERIFY_RESULT
    clock.advance(1)
    flow.tick()
    assert flow.state.step is Step.THANKS and flow.state.verification is None
    clock.advance(THANKS_SECONDS)
    flow.tick()
    assert flow.state.step is Step.HOME


def test_scan_another_and_back(flow: KioskFlow) -> None:
    at_scan(flow).events.on_event(scanned("HC1:BAD"))
    flow.verify.scan_again()
    assert flow.state.step is Step.SCAN_CODE and flow.state.verification is None
    flow.events.on_event(scanned("HC1:GOOD"))
    flow.back()
    assert flow.state.step is Step.SCAN_CODE
    flow.back()
    assert flow.state.step is Step.HOME
