"""社区组织 as a state machine: the approved list needs no identity; filing identifies first (the
resident leads it), takes the kind, name, phone, members and activities, checks, sends with one
idempotency key (a retry keeps it) and prints the slip; my applications show where each stands.
A move up from an activity's waiting list is told on the identity screen, whatever the service."""

from __future__ import annotations

from typing import Any

from kiosk.journeys.organisations import state_words
from kiosk.state import Step
from kiosk.visit.flow import KioskFlow

from .fake_community import organisation


def identify(flow: KioskFlow, station: Any, **extra: Any) -> None:
    assert flow.state.step is Step.WAIT_CARD
    event = station.identified(flow.state.session_id or "")
    event["data"] |= extra
    flow.events.on_event(event)
    assert flow.state.step is Step.IDENTITY


def fill(flow: KioskFlow, **values: str) -> None:
    for name, text in values.items():
        flow.organisations.enter(name)
        assert flow.state.entry is not None and flow.state.entry.field == f"org:{name}"
        flow.entry_changed(text)
        flow.close_entry()


FORM = {"name": "椰林合唱团", "phone": "13800138000", "members": "15", "activities": "每周三晚上排练合唱"}


def to_confirm(flow: KioskFlow, station: Any) -> None:
    flow.organisations.start()
    flow.organisations.apply()
    identify(flow, station)
    flow.identification.confirm_identity()
    assert flow.state.step is Step.ORG_KIND
    flow.organisations.choose_kind("interest")
    assert flow.state.step is Step.ORG_FORM
    fill(flow, **FORM)
    flow.organisations.review()
    assert flow.state.step is Step.ORG_CONFIRM


def test_the_list_needs_no_identity(flow: KioskFlow, station: Any) -> None:
    flow.organisations.start()
    assert flow.state.step is Step.ORGS and flow.state.session_id is None
    listed = flow.state.organisations.approved
    assert [o.name for o in listed] == ["椰林太极队"] and listed[0].how_to_join
    assert "start_session" not in station.names()


def test_filing_identifies_then_sends_and_prints_the_slip(flow: KioskFlow, station: Any) -> None:
    to_confirm(flow, station)
    flow.organisations.submit()
    assert flow.state.step is Step.ORG_DONE
    filed = flow.state.organisations.filed
    assert filed is not None and filed.id.startswith("ZZ-") and flow.state.organisations.slip_printed
    sent = dict(station.calls)["file_organisation"]["body"]
    assert sent | {"idempotency_key": "?"} == {
        "session_id": flow.state.session_id, "idempotency_key": "?", "name": "椰林合唱团", "kind": "interest",
        "phone": "13800138000", "members": 15, "activities": "每周三晚上排练合唱"}
    assert dict(station.calls)["start_session"] == {"service": "organisations"}
    assert station.org_slips == [filed.id]
    flow.finish()
    assert flow.state.step is Step.THANKS and flow.state.organisations.filed is None


def test_the_form_waits_for_every_line(flow: KioskFlow, station: Any) -> None:
    flow.organisations.start()
    flow.organisations.apply()
    identify(flow, station)
    flow.identification.confirm_identity()
    flow.organisations.choose_kind("sport")
    fill(flow, name="舞", phone="13800138000", members="20")
    assert flow.organisations.missing == ["name", "activities"]
    flow.organisations.review()
    assert flow.state.step is Step.ORG_FORM
    assert flow.state.entry is None
    flow.organisations.enter("members")
    assert flow.state.entry is not None and flow.state.entry.kind == "count"


def test_a_failed_filing_retries_with_the_same_key(flow: KioskFlow, station: Any) -> None:
    station.fail["file_organisation"].append(station.error("network.timeout", 0))
    to_confirm(flow, station)
    flow.organisations.submit()
    assert flow.state.step is Step.ERROR
    flow.retry()
    assert flow.state.step is Step.ORG_DONE
    keys = [kw["body"]["idempotency_key"] for name, kw in station.calls if name == "file_organisation"]
    assert len(keys) == 2 and keys[0] == keys[1] and len(station.org_filings) == 1


def test_a_change_after_checking_makes_a_new_filing_key(flow: KioskFlow, station: Any) -> None:
    to_confirm(flow, station)
    draft = flow.state.organisations.draft
    draft.idempotency_key = "key-earlier-filing"
    flow.back()
    assert flow.state.step is Step.ORG_FORM
    fill(flow, members="15")  # the same: the same filing
    assert draft.idempotency_key == "key-earlier-filing"
    fill(flow, members="16")  # another filing: another key
    assert draft.idempotency_key is None and draft.members == "16"


def test_a_slip_that_does_not_print_keeps_the_filing(flow: KioskFlow, station: Any) -> None:
    station.fail["print_organisation_slip"].append(station.error("printer.media_empty", 503))
    to_confirm(flow, station)
    flow.organisations.submit()
    data = flow.state.organisations
    assert flow.state.step is Step.ORG_DONE and not data.slip_printed
    assert data.slip_problem is not None and "printer.media_empty" in data.slip_problem.en


def test_my_applications_show_where_each_stands(flow: KioskFlow, station: Any) -> None:
    station.org_filings = {"k1": organisation("ZZ-2", "椰林合唱团", "interest", "more_info"),
                           "k2": organisation("ZZ-3", "桂林棋社", "interest", "refused")}
    flow.organisations.start()
    flow.organisations.mine()
    identify(flow, station)
    flow.identification.confirm_identity()
    assert flow.state.step is Step.ORG_MINE
    words = [state_words(o) for o in flow.state.organisations.mine]
    assert words == ["More information needed", "Not approved"]


PROMOTED = {"kind": "activity.promoted", "signup_id": "s-9", "activity_id": "a-9", "title": "重阳登高",
            "starts_at": "2027-10-09T08:30:00+08:00", "message": {"zh": "…", "en": "…"}}


def test_a_move_up_from_the_waiting_list_is_told_at_identification(flow: KioskFlow, station: Any) -> None:
    flow.organisations.start()
    flow.organisations.mine()
    identify(flow, station, outcomes=[PROMOTED])
    assert [(p.title, p.when) for p in flow.state.promotions] == [("重阳登高", "2027-10-09 08:30")]
    assert flow.state.outcomes == ()  # not mistaken for a decision on a certificate application
    flow.home()
    assert flow.state.promotions == ()
