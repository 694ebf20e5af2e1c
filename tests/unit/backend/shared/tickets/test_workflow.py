"""The ticket workflow as tables over a frozen clock and the 2026 working-day calendar: every
action in every state (allowed or refused, with its code), whole journeys with their deadlines,
returns and arbitration, extensions, a bad rating's rectification and the single follow-up rating."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

import pytest

from backend.shared.errors import AppError
from backend.shared.tickets.config import TicketConfig
from backend.shared.tickets.deadlines import Stage
from backend.shared.tickets.workflow import (
    Classify,
    Close,
    Command,
    DecideExtension,
    Dispatch,
    Escalate,
    Rate,
    Reply,
    RequestExtension,
    Return,
    Sign,
    State,
    TicketSnapshot,
    current_deadline,
    step,
    submitted,
)

from .conftest import local

RECEIVED_AT = local(2026, 11, 26, 10)  # a Thursday

COMMANDS: dict[str, Command] = {
    "classify": Classify("property_repairs", "normal"),
    "dispatch": Dispatch("460107002001-01", "grid", "grid_worker"),
    "sign": Sign(),
    "return": Return("not_our_duty", "460107002001"),
    "request_extension": RequestExtension(3, "需要协调物业"),
    "approve_extension": DecideExtension(True),
    "reject_extension": DecideExtension(False),
    "reply": Reply("已维修"),
    "close": Close("resolved"),
    "rate": Rate(5),
}
STATES = ["received", "classified", "dispatched", "returned", "arbitration", "in_progress", "replied",
          "closed", "rectifying", "rated"]
OK, TR, NC, NS, NR, NCL, AR, NE = ("ok", "ticket.transition_refused", "ticket.not_classified",
                                   "ticket.not_signed", "ticket.not_replied", "ticket.not_closed",
                                   "ticket.already_rated", "ticket.no_extension")
# Written out by hand from the issue (not from the code): what each action does in each state.
MATRIX: dict[str, list[str]] = {
    #                   rcv  cls  dsp  ret  arb  inp  rep  clo  rct  rat
    "classify":          [OK, OK, TR, OK, OK, TR, TR, TR, TR, TR],
    "dispatch":          [NC, OK, TR, OK, OK, TR, TR, TR, TR, TR],
    "sign":              [TR, TR, OK, TR, TR, TR, TR, TR, TR, TR],
    "return":            [TR, TR, OK, TR, TR, TR, TR, TR, TR, TR],
    "request_extension": [TR, TR, TR, TR, TR, OK, TR, TR, OK, TR],
    "approve_extension": [TR, TR, TR, TR, TR, NE, TR, TR, NE, TR],
    "reject_extension":  [TR, TR, TR, TR, TR, NE, TR, TR, NE, TR],
    "reply":             [NS, NS, NS, NS, NS, OK, TR, TR, OK, TR],
    "close":             [NS, NS, NS, NS, NS, NR, OK, TR, NR, TR],
    "rate":              [NCL, NCL, NCL, NCL, NCL, NCL, NCL, OK, NCL, AR],
}


def snapshot_in(state: str) -> TicketSnapshot:
    """A ticket standing in a state, with the facts that state implies."""
    due = local(2026, 12, 3, 18)
    base = TicketSnapshot(state=State(state), category="property_repairs", received_at=RECEIVED_AT,
                          grade="normal", reply_due=due, sign_due=local(2026, 11, 27, 18),
                          dispatched_at=RECEIVED_AT, rectify_due=local(2026, 12, 20, 10),
                          reopened_at=local(2026, 12, 5, 10) if state == "rectifying" else None)
    return base


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", list(MATRIX))
def test_every_action_in_every_state(config: TicketConfig, action: str, state: str) -> None:
    expected = MATRIX[action][STATES.index(state)]
    ticket = snapshot_in(state)
    if expected == OK:
        result = step(ticket, COMMANDS[action], config=config, now=local(2026, 11, 27, 9))
        assert result.record.from_state == State(state)
        assert result.record.action.value == action
    else:
        with pytest.raises(AppError) as refused:
            step(ticket, COMMANDS[action], config=config, now=local(2026, 11, 27, 9))
        assert refused.value.code == expected
        assert refused.value.context == {"state": state, "action": action} or expected == NE


def run(config: TicketConfig, ticket: TicketSnapshot,
        table: list[tuple[datetime, Command, str, dict[str, Any]]]) -> TicketSnapshot:
    """Apply each row's command at its time; check the state (or error code) and the facts given."""
    for at, command, expected, facts in table:
        if expected.startswith("ticket."):
            with pytest.raises(AppError) as refused:
                step(ticket, command, config=config, now=at)
            assert refused.value.code == expected, (at, command)
            continue
        ticket = step(ticket, command, config=config, now=at).after
        assert ticket.state == State(expected), (at, command)
        for name, value in facts.items():
            assert getattr(ticket, name) == value, (at, command, name)
    return ticket


def test_a_request_from_receipt_to_a_good_rating(config: TicketConfig) -> None:
    first = submitted(category="property_repairs", received_at=RECEIVED_AT, grade="normal", config=config)
    assert first.after.reply_due == local(2026, 12, 3, 18)  # 5 working days over a weekend
    run(config, first.after, [
        (local(2026, 11, 26, 10, 30), Classify("property_repairs", "normal"), "classified",
         {"grade": "normal", "reply_due": local(2026, 12, 3, 18)}),
        (local(2026, 11, 26, 11), Dispatch("460107002001-01", "grid", "grid_worker"), "dispatched",
         {"assigned_unit": "460107002001-01", "sign_due": local(2026, 11, 27, 18)}),
        (local(2026, 11, 27, 9), Sign(), "in_progress", {"sign_late": False}),
        (local(2026, 11, 30, 16), Reply("水管已更换"), "replied", {"reply_text": "水管已更换", "reply_late": False}),
        (local(2026, 11, 30, 17), Close("resolved"), "closed", {"closure": "resolved"}),
        (local(2026, 12, 1, 9), Rate(4, ("fast",)), "rated", {"ratings": 1, "last_rating": 4}),
        (local(2026, 12, 2, 9), Rate(5), "ticket.already_rated", {}),
    ])


def test_urgent_tickets_are_due_in_clock_hours_even_at_the_weekend(config: TicketConfig) -> None:
    saturday_night = local(2026, 11, 28, 23)
    first = submitted(category="safety_hazard", received_at=saturday_night, grade="urgent", config=config)
    assert first.after.reply_due == local(2026, 11, 29, 1)
    ticket = run(config, first.after, [
        (local(2026, 11, 28, 23, 5), Classify("safety_hazard", "urgent"), "classified",
         {"reply_due": local(2026, 11, 29, 1)}),
        (local(2026, 11, 28, 23, 10), Dispatch("460107002", "street", "police_officer"), "dispatched",
         {"sign_due": local(2026, 11, 30, 18)}),  # sign-for: 1 working day, Monday
    ])
    assert current_deadline(ticket) == ("sign", local(2026, 11, 28, 23, 10), local(2026, 11, 30, 18))


@pytest.mark.parametrize(("category", "grade", "received", "due"), [
    ("property_repairs", "normal", local(2026, 9, 30, 10), local(2026, 10, 13, 18)),  # over National Day
    ("property_repairs", "complex", local(2026, 11, 26, 10), local(2026, 12, 17, 18)),  # 15 working days
    ("environment_sanitation", "normal", local(2026, 11, 26, 10), local(2026, 12, 1, 18)),  # its own: 3
    ("suggestion", "urgent", local(2026, 11, 26, 10), local(2026, 11, 26, 12)),  # the default: 2 hours
    ("social_assistance", "urgent", local(2026, 11, 26, 10), local(2026, 11, 26, 14)),  # its own: 4 hours
    ("praise", "normal", local(2026, 2, 13, 20), local(2026, 2, 27, 18)),  # Sat 14 Feb works, then 24-27
])
def test_reply_deadlines_per_category_and_grade(config: TicketConfig, category: str, grade: str,
                                               received: datetime, due: datetime) -> None:
    first = submitted(category="praise", received_at=received, grade="normal", config=config)
    classified = step(first.after, Classify(category, grade), config=config, now=received)
    assert classified.after.reply_due == due


def test_returns_never_close_and_the_second_goes_to_arbitration(config: TicketConfig) -> None:
    ticket = snapshot_in("classified")
    ticket = run(config, ticket, [
        (local(2026, 11, 26, 11), Dispatch("460107002001-01", "grid", "grid_worker"), "dispatched", {}),
        (local(2026, 11, 26, 12), Return("bogus", "460107002001"), "ticket.bad_reason", {}),
        (local(2026, 11, 26, 12), Return("not_our_area", "460107002001"), "returned",
         {"returns": 1, "assigned_unit": None, "arbitration_unit": None}),
        (local(2026, 11, 26, 13), Sign(), "ticket.transition_refused", {}),
        (local(2026, 11, 26, 13), Close("resolved"), "ticket.not_signed", {}),
        (local(2026, 11, 26, 14), Dispatch("460107002001-02", "grid", "grid_worker"), "dispatched", {}),
        (local(2026, 11, 26, 15), Return("ownership_unclear", "460107002001"), "arbitration",
         {"returns": 2, "arbitration_unit": "460107002001"}),
        (local(2026, 11, 26, 16), Dispatch("460107002001", "community", "mediator"), "dispatched",
         {"arbitration_unit": None, "assigned_role": "mediator"}),
        (local(2026, 11, 27, 9), Sign(), "in_progress", {"returns": 2}),
    ])
    assert ticket.closure is None


def test_extensions_need_approval_and_have_limits(config: TicketConfig) -> None:
    ticket = snapshot_in("in_progress")
    run(config, ticket, [
        (local(2026, 11, 30, 9), DecideExtension(True), "ticket.no_extension", {}),
        (local(2026, 11, 30, 9), RequestExtension(11, "太多"), "ticket.extension_limit", {}),
        (local(2026, 11, 30, 9), RequestExtension(0, "零"), "ticket.extension_limit", {}),
        (local(2026, 11, 30, 9), RequestExtension(3, "需要采购配件"), "in_progress",
         {"extension": {"working_days": 3, "reason": "需要采购配件", "at": local(2026, 11, 30, 9).isoformat(),
                        "unit": None}}),
        (local(2026, 11, 30, 10), RequestExtension(2, "再来一次"), "ticket.extension_pending", {}),
        (local(2026, 11, 30, 11), DecideExtension(True), "in_progress",
         {"extension": None, "extensions_granted": 1, "reply_due": local(2026, 12, 8, 18)}),  # Dec 3 + 3
        (local(2026, 12, 1, 9), RequestExtension(2, "还需时间"), "in_progress", {}),
        (local(2026, 12, 1, 10), DecideExtension(False), "in_progress",
         {"extension": None, "extensions_granted": 1, "reply_due": local(2026, 12, 8, 18)}),
        (local(2026, 12, 1, 11), RequestExtension(1, "最后一次"), "in_progress", {}),
        (local(2026, 12, 1, 12), DecideExtension(True), "in_progress", {"extensions_granted": 2}),
        (local(2026, 12, 2, 9), RequestExtension(1, "第三次"), "ticket.extension_limit", {}),
    ])


def test_a_bad_rating_reopens_once_and_allows_one_follow_up(config: TicketConfig) -> None:
    ticket = snapshot_in("closed")
    run(config, ticket, [
        (local(2026, 12, 4, 9), Rate(9), "ticket.bad_rating", {}),
        (local(2026, 12, 4, 9), Rate(2, ("slow", "slow")), "ticket.bad_reason", {}),
        (local(2026, 12, 4, 9), Rate(2, ("slow", "not_solved")), "rectifying",
         {"ratings": 1, "reopened_at": local(2026, 12, 4, 9), "rectify_due": local(2026, 12, 19, 9)}),
        (local(2026, 12, 4, 10), Rate(1), "ticket.not_closed", {}),
        (local(2026, 12, 4, 10), Close("resolved"), "ticket.not_replied", {}),
        (local(2026, 12, 10, 10), Reply("已重新维修并回访"), "replied", {"reply_late": False}),
        (local(2026, 12, 10, 11), Close("resolved"), "closed", {}),
        # The follow-up rating is final even when it is bad again.
        (local(2026, 12, 11, 9), Rate(1, ("not_solved",)), "rated", {"ratings": 2, "last_rating": 1}),
        (local(2026, 12, 12, 9), Rate(5), "ticket.already_rated", {}),
    ])


def test_late_rectification_is_flagged(config: TicketConfig) -> None:
    ticket = run(config, snapshot_in("closed"), [
        (local(2026, 12, 4, 9), Rate(1), "rectifying", {}),
        (local(2026, 12, 20, 9), Reply("迟到的整改"), "replied", {"reply_late": True}),
    ])
    assert ticket.reply_late


def test_a_good_rating_finishes_and_a_late_sign_is_remembered(config: TicketConfig) -> None:
    run(config, snapshot_in("dispatched"), [
        (local(2026, 11, 30, 9), Sign(), "in_progress", {"sign_late": True}),  # due Fri 27 18:00
        (local(2026, 12, 4, 9), Reply("好了"), "replied", {"reply_late": True}),  # due Thu 3 18:00
        (local(2026, 12, 4, 10), Close("unresolved", "outside_duty"), "closed",
         {"closure": "unresolved", "closure_reason": "outside_duty"}),
        (local(2026, 12, 5, 10), Rate(3), "rated", {"last_rating": 3}),
    ])


@pytest.mark.parametrize(("command", "code"), [
    (Classify("nonsense", "normal"), "ticket.unknown_category"),
    (Classify("property_repairs", "extreme"), "ticket.bad_grade"),
])
def test_bad_classifications(config: TicketConfig, command: Command, code: str) -> None:
    with pytest.raises(AppError) as refused:
        step(snapshot_in("received"), command, config=config, now=RECEIVED_AT)
    assert refused.value.code == code


@pytest.mark.parametrize(("command", "code"), [
    (Dispatch("460107002001-01", "grid", "plumber"), "ticket.bad_role"),
    (Dispatch("460107002001-01", "planet", "grid_worker"), "ticket.bad_unit"),
])
def test_bad_dispatches(config: TicketConfig, command: Command, code: str) -> None:
    with pytest.raises(AppError) as refused:
        step(snapshot_in("classified"), command, config=config, now=RECEIVED_AT)
    assert refused.value.code == code


@pytest.mark.parametrize(("command", "code"), [
    (Close("maybe"), "ticket.bad_reason"),
    (Close("resolved", "outside_duty"), "ticket.bad_reason"),
    (Close("unresolved", "tired"), "ticket.bad_reason"),
])
def test_bad_closures(config: TicketConfig, command: Command, code: str) -> None:
    with pytest.raises(AppError) as refused:
        step(snapshot_in("replied"), command, config=config, now=RECEIVED_AT)
    assert refused.value.code == code


def test_reply_text_must_be_clean(config: TicketConfig) -> None:
    for text, code in [("", "ticket.description_empty"), ("a\x00b", "ticket.bad_text"),
                       ("x" * 2001, "ticket.description_too_long")]:
        with pytest.raises(AppError) as refused:
            step(snapshot_in("in_progress"), Reply(text), config=config, now=RECEIVED_AT)
        assert refused.value.code == code


def test_escalations_only_move_forward_on_the_running_deadline(config: TicketConfig) -> None:
    ticket = snapshot_in("in_progress")
    warned = step(ticket, Escalate("reply", Stage.WARNING), config=config, now=RECEIVED_AT).after
    assert warned.escalation == {"reply": 1} and warned.state is State.IN_PROGRESS
    for command in (Escalate("reply", Stage.WARNING), Escalate("sign", Stage.REMINDER)):
        with pytest.raises(AppError) as refused:
            step(warned, command, config=config, now=RECEIVED_AT)
        assert refused.value.code == "ticket.transition_refused"
    with pytest.raises(AppError):
        step(replace(ticket, state=State.CLOSED), Escalate("reply", Stage.REMINDER), config=config,
             now=RECEIVED_AT)
