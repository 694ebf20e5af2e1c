"""The resident's certificate journey as a state machine, without Kivy: every transition, the
timers on an injected clock, retries and how station errors reach the resident."""

from __future__ import annotations

from typing import Any

import pytest

from kiosk.advice import Action
from kiosk.clock import FakeClock
from kiosk.runner import QueuedRunner
from kiosk.state import Step
from kiosk.visit.flow import KioskFlow
from kiosk.visit.snapshot import snapshot

PERSONAL = ("session_id", "identity", "cert_type", "purpose", "idempotency_key", "certificate",
            "card_problem", "problem")


def at_step(flow: KioskFlow, station: Any, step: Step) -> KioskFlow:
    """Walk the happy path up to ``step``."""
    path = [Step.WAIT_CARD, Step.IDENTITY, Step.CHOOSE_TYPE, Step.CHOOSE_PURPOSE, Step.CONFIRM,
            Step.DONE]
    actions = [flow.certificates.start, lambda: flow.events.on_event(station.identified(flow.state.session_id or "")),
               flow.identification.confirm_identity,
               lambda: flow.certificates.choose_type("JZZM"), lambda: flow.certificates.choose_purpose("school"), flow.certificates.confirm]
    for target, action in zip(path, actions, strict=True):
        if flow.state.step is step:
            break
        action()
        assert flow.state.step is target
    assert flow.state.step is step
    return flow


def assert_forgotten(flow: KioskFlow) -> None:
    for name in PERSONAL:
        assert getattr(flow.state, name) is None, name
    assert flow.state.types == []


# ---- the happy path ---------------------------------------------------------------------------


def test_home_tile_starts_a_session_and_says_what_it_waits_for(station: Any, clock: FakeClock) -> None:
    runner = QueuedRunner()
    flow = KioskFlow(station, runner, clock)
    flow.wake()
    flow.certificates.start()
    assert flow.state.busy == "Getting ready…"
    assert flow.state.step is Step.HOME
    runner.run_all()
    assert flow.state.step is Step.WAIT_CARD and flow.state.busy is None
    assert station.calls[0] == ("start_session", {"service": "certificates"})
    assert [t.code for t in flow.state.types] == ["JZZM", "ZZZM", "PKXS", "QSGX"]


def test_card_read_for_this_session_shows_the_masked_identity(flow: KioskFlow, station: Any) -> None:
    at_step(flow, station, Step.WAIT_CARD)
    flow.events.on_event({"type": "card.read", "data": {}})
    assert flow.state.reading_card
    flow.events.on_event(station.identified("session-1"))
    assert flow.state.step is Step.IDENTITY
    assert flow.state.identity is not None
    assert flow.state.identity.id_masked == "4601*************2"
    assert not flow.state.reading_card


def test_identity_of_another_session_is_ignored(flow: KioskFlow, station: Any) -> None:
    at_step(flow, station, Step.WAIT_CARD)
    flow.events.on_event(station.identified("someone-else"))
    assert flow.state.step is Step.WAIT_CARD and flow.state.identity is None


def test_identity_arriving_before_the_session_answer_is_kept(station: Any, clock: FakeClock) -> None:
    runner = QueuedRunner()
    flow = KioskFlow(station, runner, clock)
    flow.wake()
    flow.certificates.start()
    flow.events.on_event(station.identified("session-1"))  # the event overtook the HTTP answer
    runner.run_all()
    assert flow.state.step is Step.IDENTITY


def test_only_types_the_kiosk_can_issue_are_selectable(flow: KioskFlow, station: Any) -> None:
    at_step(flow, station, Step.CHOOSE_TYPE)
    flow.certificates.choose_type("QSGX")  # forbidden: shown with its alternative, never chosen
    flow.certificates.choose_type("NOPE")
    assert flow.state.step is Step.CHOOSE_TYPE and flow.state.cert_type is None
    flow.certificates.choose_type("JZZM")
    assert flow.state.step is Step.CHOOSE_PURPOSE
    flow.certificates.choose_purpose("tuition")  # not a purpose of JZZM
    assert flow.state.step is Step.CHOOSE_PURPOSE
    flow.certificates.choose_purpose("school")
    assert flow.state.step is Step.CONFIRM and flow.state.purpose == "school"


def test_confirm_issues_then_prints_and_shows_the_serial(flow: KioskFlow, station: Any) -> None:
    at_step(flow, station, Step.CONFIRM)
    flow.certificates.confirm()
    assert flow.state.step is Step.DONE
    assert flow.state.certificate is not None and flow.state.certificate.serial == "2026-0001-000001"
    issue = dict(station.calls)["issue_certificate"]
    assert issue == {"session_id": "session-1", "type_code": "JZZM", "purpose": "school",
                     "idempotency_key": "key-0000-abcdef", "fields": {}}
    assert station.names()[-2:] == ["print_certificate", "phone_link"]  # then the phone copy's link


def test_printing_screen_says_what_it_waits_for(station: Any, clock: FakeClock) -> None:
    runner = QueuedRunner()
    flow = KioskFlow(station, runner, clock)
    flow.wake()
    flow.certificates.start()
    runner.run_all()
    flow.events.on_event(station.identified())
    flow.identification.confirm_identity()
    flow.certificates.choose_type("JZZM")
    flow.certificates.choose_purpose("school")
    flow.certificates.confirm()
    assert flow.state.step is Step.PRINTING
    assert flow.certificates.printing_phase == "Preparing your certificate…"
    runner.run_next()
    assert flow.certificates.printing_phase == "Printing your certificate…"
    flow.home()  # a print under way cannot be abandoned
    assert flow.state.step is Step.PRINTING
    runner.run_all()
    assert flow.state.step is Step.DONE


def test_done_thanks_by_itself_then_goes_home_having_forgotten_the_resident(
        flow: KioskFlow, station: Any, clock: FakeClock) -> None:
    at_step(flow, station, Step.DONE)
    clock.advance(7.5)
    flow.tick()
    assert flow.state.step is Step.DONE
    clock.advance(0.5)
    flow.tick()
    assert flow.state.step is Step.RATE  # the rating screen follows the printed certificate
    flow.rating.skip()
    assert flow.state.step is Step.THANKS
    assert ("end_session", {"session_id": "session-1"}) in station.calls
    assert_forgotten(flow)
    clock.advance(5.9)
    flow.tick()
    assert flow.state.step is Step.THANKS
    clock.advance(0.2)
    flow.tick()
    assert flow.state.step is Step.HOME


def test_finish_button_asks_for_a_rating_then_thanks(flow: KioskFlow, station: Any) -> None:
    at_step(flow, station, Step.DONE)
    flow.finish()
    assert flow.state.step is Step.RATE and flow.state.session_id is not None
    flow.rating.skip()
    assert flow.state.step is Step.THANKS
    assert_forgotten(flow)


@pytest.mark.parametrize(("step", "expected"), [
    (Step.CONFIRM, Step.CHOOSE_PURPOSE),
    (Step.CHOOSE_PURPOSE, Step.CHOOSE_TYPE),
    (Step.CHOOSE_TYPE, Step.HOME),
    (Step.IDENTITY, Step.HOME),
    (Step.WAIT_CARD, Step.HOME),
])
def test_back_goes_one_step_back_or_home(flow: KioskFlow, station: Any, step: Step,
                                         expected: Step) -> None:
    at_step(flow, station, step)
    flow.back()
    if flow.state.identity is not None and expected is Step.HOME:
        assert flow.state.dialog is not None and flow.state.dialog.code == "cancel_visit"
        flow.dialog_action("end_visit")  # leaving with the resident's details asks first
    assert flow.state.step is expected
    if expected is Step.HOME:
        assert_forgotten(flow)
        assert ("end_session", {"session_id": "session-1"}) in station.calls


def test_simulated_card_button_places_and_later_removes_the_demo_card(flow: KioskFlow,
                                                                      station: Any) -> None:
    at_step(flow, station, Step.WAIT_CARD)
    assert flow.identification.simulated_card
    flow.identification.simulate_card()
    assert station.names()[-1] == "simulate_card"
    flow.events.on_event(station.identified())
    assert station.names()[-1] == "remove_simulated_card"


def test_no_simulated_card_on_a_real_reader(flow: KioskFlow, station: Any) -> None:
    station.station_body = station.station_body | {"simulated": {"idcard": False}}
    flow.refresh_station()
    at_step(flow, station, Step.WAIT_CARD)
    flow.identification.simulate_card()
    assert "simulate_card" not in station.names()
    assert not flow.identification.simulated_card


def test_certificates_tile_follows_the_service_state(flow: KioskFlow, station: Any) -> None:
    assert flow.certificates.available()
    services = [{"code": "certificates", "state": "UNAVAILABLE", "reason": "consumables",
                 "blocking": [{"component": "printer", "code": "MEDIA_EMPTY"}]}]
    station.station_body = station.station_body | {"services": services}
    flow.events.on_event({"type": "component.status", "data": {}})
    assert not flow.certificates.available()


# ---- inactivity -------------------------------------------------------------------------------


@pytest.mark.parametrize("step", [Step.WAIT_CARD, Step.IDENTITY, Step.CHOOSE_TYPE,
                                  Step.CHOOSE_PURPOSE, Step.CONFIRM])
def test_idle_timeout_clears_the_session_and_every_personal_detail(
        flow: KioskFlow, station: Any, clock: FakeClock, step: Step) -> None:
    at_step(flow, station, step)
    clock.advance(89)
    flow.tick()
    assert flow.state.step is step
    clock.advance(1)
    flow.tick()
    assert flow.state.step is Step.HOME
    assert_forgotten(flow)
    assert ("end_session", {"session_id": "session-1"}) in station.calls


def test_idle_warning_counts_down_before_clearing(flow: KioskFlow, station: Any,
                                                  clock: FakeClock) -> None:
    at_step(flow, station, Step.CHOOSE_TYPE)
    clock.advance(69)
    assert flow.timers.idle_warning() is None
    clock.advance(1)
    assert flow.timers.idle_warning() == 20
    clock.advance(15.5)
    assert flow.timers.idle_warning() == 5


def test_a_touch_restarts_the_idle_timer(flow: KioskFlow, station: Any, clock: FakeClock) -> None:
    at_step(flow, station, Step.CHOOSE_TYPE)
    clock.advance(80)
    flow.touch()
    clock.advance(80)
    flow.tick()
    assert flow.state.step is Step.CHOOSE_TYPE


def test_touches_keep_the_station_session_alive(flow: KioskFlow, station: Any,
                                                clock: FakeClock) -> None:
    at_step(flow, station, Step.CHOOSE_TYPE)
    clock.advance(25)
    flow.touch()
    assert station.calls[-1] == ("get_session", {"session_id": "session-1"})
    flow.touch()  # not again so soon
    assert station.names().count("get_session") == 1


def test_the_ui_idle_setting_overrides_the_station(station: Any, clock: FakeClock) -> None:
    flow = KioskFlow(station, QueuedRunner(), clock, idle_seconds=30)
    flow.wake()
    assert flow.timers.idle_seconds == 30


def test_an_error_screen_also_times_out(flow: KioskFlow, station: Any, clock: FakeClock) -> None:
    at_step(flow, station, Step.CONFIRM)
    station.fail["print_certificate"].append(station.error("printer.media_empty", 503))
    flow.certificates.confirm()
    assert flow.state.step is Step.ERROR
    clock.advance(90)
    flow.tick()
    assert flow.state.step is Step.HOME
    assert_forgotten(flow)


def test_no_timeout_while_a_print_is_under_way(station: Any, clock: FakeClock) -> None:
    runner = QueuedRunner()
    flow = KioskFlow(station, runner, clock)
    flow.wake()
    flow.certificates.start()
    runner.run_all()
    flow.events.on_event(station.identified())
    flow.identification.confirm_identity()
    flow.certificates.choose_type("JZZM")
    flow.certificates.choose_purpose("school")
    flow.certificates.confirm()
    clock.advance(600)
    flow.tick()
    assert flow.state.step is Step.PRINTING
    runner.run_all()
    assert flow.state.step is Step.DONE


def test_an_answer_for_a_cleared_session_is_dropped_and_its_session_ended(station: Any,
                                                                         clock: FakeClock) -> None:
    runner = QueuedRunner()
    flow = KioskFlow(station, runner, clock)
    flow.wake()
    flow.certificates.start()
    flow.home()  # the resident gave up before the station answered
    runner.run_all()
    assert flow.state.step is Step.HOME and flow.state.session_id is None
    assert ("end_session", {"session_id": "session-1"}) in station.calls


# ---- failures and retries ---------------------------------------------------------------------


def test_retry_after_a_print_failure_reuses_the_idempotency_key(flow: KioskFlow,
                                                                station: Any) -> None:
    at_step(flow, station, Step.CONFIRM)
    station.fail["print_certificate"].append(station.error("printer.media_empty", 503))
    flow.certificates.confirm()
    assert flow.state.step is Step.ERROR
    problem = flow.state.problem
    assert problem is not None and problem.code == "printer.media_empty"
    assert problem.actions == (Action.RETRY, Action.HOME)
    assert flow.state.certificate is not None  # issued and kept: it prints later
    flow.act(Action.RETRY)
    assert flow.state.step is Step.DONE
    keys = [kw["idempotency_key"] for name, kw in station.calls if name == "issue_certificate"]
    assert keys == ["key-0000-abcdef", "key-0000-abcdef"]
    assert station.names().count("print_certificate") == 2


def test_retry_never_prints_twice_when_the_first_print_went_through(flow: KioskFlow,
                                                                    station: Any) -> None:
    at_step(flow, station, Step.CONFIRM)
    station.state = "printed"  # the print happened, but its answer was lost on the way back
    station.fail["issue_certificate"].append(station.error("network.timeout", 0))
    flow.certificates.confirm()
    flow.retry()
    assert flow.state.step is Step.DONE
    assert "print_certificate" not in station.names()


def test_a_new_purpose_gets_a_new_key(flow: KioskFlow, station: Any) -> None:
    at_step(flow, station, Step.CONFIRM)
    station.fail["issue_certificate"].append(station.error("network.unreachable", 0))
    flow.certificates.confirm()
    flow.act(Action.HOME)
    at_step(flow, station, Step.CONFIRM)
    flow.back()
    flow.certificates.choose_purpose("other")
    flow.certificates.confirm()
    keys = [kw["idempotency_key"] for name, kw in station.calls if name == "issue_certificate"]
    assert len(set(keys)) == len(keys) == 2


def test_a_failed_start_can_be_retried(flow: KioskFlow, station: Any) -> None:
    station.fail["start_session"].append(station.error("network.unreachable", 0))
    flow.certificates.start()
    assert flow.state.step is Step.ERROR
    assert flow.state.problem is not None and Action.RETRY in flow.state.problem.actions
    flow.retry()
    assert flow.state.step is Step.WAIT_CARD


def test_not_eligible_lists_the_reasons_and_lets_the_resident_choose_again(flow: KioskFlow,
                                                                           station: Any) -> None:
    at_step(flow, station, Step.CONFIRM)
    reasons = [{"rule": "min_months_registered", "zh": "登记居住满6个月后可开具",
                "en": "available after 6 months registered here"}]
    station.fail["issue_certificate"].append(
        station.error("certificate.not_eligible", 403, reasons=reasons))
    flow.certificates.confirm()
    problem = flow.state.problem
    assert problem is not None
    assert [r.get("zh") for r in problem.reasons] == ["登记居住满6个月后可开具"]
    assert problem.actions == (Action.CHOOSE_TYPE, Action.HOME)
    flow.act(Action.CHOOSE_TYPE)
    assert flow.state.step is Step.CHOOSE_TYPE
    assert flow.state.identity is not None and flow.state.cert_type is None


def test_the_station_ending_the_session_clears_it_and_says_so(flow: KioskFlow,
                                                              station: Any) -> None:
    at_step(flow, station, Step.CHOOSE_PURPOSE)
    flow.events.on_event({"type": "session.ended", "data": {"id": "session-1", "reason": "idle"}})
    assert flow.state.step is Step.ERROR
    problem = flow.state.problem
    assert problem is not None and problem.actions == (Action.HOME,)
    for name in PERSONAL[:-1]:
        assert getattr(flow.state, name) is None, name


def test_an_expired_session_found_by_the_keepalive_ends_the_visit(flow: KioskFlow,
                                                                  station: Any,
                                                                  clock: FakeClock) -> None:
    at_step(flow, station, Step.CHOOSE_TYPE)
    station.fail["get_session"].append(station.error("session.expired", 410))
    clock.advance(30)
    flow.touch()
    assert flow.state.step is Step.ERROR and flow.state.identity is None


@pytest.mark.parametrize(("reason", "message"), [
    ("expired", "This ID card has expired. Please use a valid card."),
    ("card_removed", "The card was taken away too soon. Please place it again and hold it still."),
    ("checksum", "The card could not be read. Please place it again."),
])
def test_a_refused_card_says_why_and_keeps_waiting(flow: KioskFlow, station: Any, reason: str,
                                                   message: str) -> None:
    at_step(flow, station, Step.WAIT_CARD)
    flow.events.on_event({"type": "card.rejected", "data": {"reason": reason}})
    assert flow.state.step is Step.WAIT_CARD
    assert flow.state.card_problem == message


def test_without_the_event_stream_the_flow_polls_for_the_card(flow: KioskFlow, station: Any,
                                                              clock: FakeClock) -> None:
    at_step(flow, station, Step.WAIT_CARD)
    flow.events.on_connection(False)
    station.identity = {"name": "张三", "id_masked": "4601*************2", "sex": "男",
                        "source": "idcard"}
    clock.advance(3)
    flow.tick()
    assert flow.state.step is Step.IDENTITY


def test_snapshot_holds_no_personal_details(flow: KioskFlow, station: Any) -> None:
    at_step(flow, station, Step.DONE)
    text = repr(snapshot(flow))
    assert "张三" not in text and "991X" not in text
    assert snapshot(flow)["serial"] == "2026-0001-000001"


# ---- error mapping ----------------------------------------------------------------------------

R, C, H = Action.RETRY, Action.CHOOSE_TYPE, Action.HOME


@pytest.mark.parametrize(("code", "status", "actions"), [
    ("printer.media_empty", 503, (R, H)),
    ("printer.cover_open", 503, (R, H)),
    ("printer.not_reachable", 503, (R, H)),
    ("network.unreachable", 0, (R, H)),
    ("network.timeout", 0, (R, H)),
    ("internal.error", 500, (R, H)),
    ("certificate.not_eligible", 403, (C, H)),
    ("certificate.forbidden", 403, (C, H)),
    ("certificate.not_in_register", 403, (H,)),
    ("certificate.idempotency_conflict", 409, (H,)),
    ("session.expired", 410, (H,)),
    ("session.not_identified", 409, (H,)),
    ("request.invalid", 422, (H,)),
    ("something.new", 503, (R, H)),
])
def test_station_errors_reach_the_resident_with_what_to_do(flow: KioskFlow, station: Any,
                                                           code: str, status: int,
                                                           actions: tuple[Action, ...]) -> None:
    at_step(flow, station, Step.CONFIRM)
    station.fail["issue_certificate"].append(station.error(code, status))
    flow.certificates.confirm()
    problem = flow.state.problem
    assert flow.state.step is Step.ERROR and problem is not None
    assert problem.code == code
    assert problem.actions == actions
    assert problem.message.get("zh") == f"{code} 中文"
    assert problem.message.get("en") == f"{code} English"
    assert problem.advice  # always says what to do next


def test_a_forbidden_type_error_carries_the_alternative(flow: KioskFlow, station: Any) -> None:
    at_step(flow, station, Step.CONFIRM)
    station.fail["issue_certificate"].append(station.error(
        "certificate.forbidden", 403, alternative={"zh": "请到派出所办理。", "en": "Ask the police."}))
    flow.certificates.confirm()
    problem = flow.state.problem
    assert problem is not None and problem.alternative is not None
    assert problem.alternative.get("en") == "Ask the police."


def test_a_failed_demo_card_keeps_waiting_and_says_so(flow: KioskFlow, station: Any) -> None:
    at_step(flow, station, Step.WAIT_CARD)
    station.fail["simulate_card"].append(station.error("sim.failed", 502))
    flow.identification.simulate_card()
    assert flow.state.step is Step.WAIT_CARD
    assert flow.state.card_problem == "The simulated card reader did not respond. Please try again."


def test_retry_is_not_offered_when_there_is_nothing_to_retry(flow: KioskFlow,
                                                            station: Any) -> None:
    at_step(flow, station, Step.CHOOSE_TYPE)
    flow.events.on_event({"type": "session.ended", "data": {"id": "session-1", "reason": "replaced"}})
    problem = flow.state.problem
    assert problem is not None and problem.actions == (Action.HOME,)
    flow.retry()
    assert flow.state.step is Step.ERROR
