"""信酬制 as a state machine: identifying finds the resident's own compound among those that
publish; an owner moves between months and prints; anyone else sees only who publishes."""

from __future__ import annotations

from typing import Any

from kiosk.state import Step
from kiosk.visit.flow import KioskFlow

from .test_activities import identify


def test_an_owner_sees_the_latest_month_of_their_compound(flow: KioskFlow, station: Any) -> None:
    flow.accounts.start()
    identify(flow, station)
    draft = flow.state.accounts
    assert flow.state.step is Step.ACCOUNTS and draft.compound == "GL-02"
    assert draft.month is not None and draft.month.month == "2026-11" and draft.month.bars[0].bar == 20
    assert dict(station.calls)["start_session"] == {"service": "accounts"}
    assert not flow.accounts.can_move(-1) and flow.accounts.can_move(1)


def test_an_owner_moves_between_months_and_prints(flow: KioskFlow, station: Any) -> None:
    flow.accounts.start()
    identify(flow, station)
    flow.accounts.other_month(1)
    assert flow.state.accounts.month is not None and flow.state.accounts.month.month == "2026-10"
    flow.accounts.other_month(1)
    flow.accounts.other_month(1)  # no month before the first: nothing happens
    assert flow.state.accounts.month.month == "2026-09"
    flow.accounts.print_statement()
    assert station.statements == [("GL-02", "2026-09")] and flow.state.accounts.printed


def test_a_failed_print_says_why_and_stays(flow: KioskFlow, station: Any) -> None:
    flow.accounts.start()
    identify(flow, station)
    station.fail["print_statement"].append(station.error("printer.media_empty", 503))
    flow.accounts.print_statement()
    draft = flow.state.accounts
    assert flow.state.step is Step.ACCOUNTS and not draft.printed and draft.print_problem is not None


def test_a_non_owner_sees_only_who_publishes(flow: KioskFlow, station: Any) -> None:
    station.owner_of = ""
    flow.accounts.start()
    identify(flow, station)
    assert flow.state.step is Step.ACCOUNTS_PUBLIC and flow.state.accounts.month is None
    assert [p.compound for p in flow.state.accounts.publishing] == ["GL-01", "GL-02"]
    assert "accounts_month" not in station.names()


def test_the_visit_ending_forgets_the_accounts(flow: KioskFlow, station: Any) -> None:
    flow.accounts.start()
    identify(flow, station)
    flow.home()
    assert flow.state.accounts.month is None and flow.state.accounts.compound == ""
