"""小区议事堂 as a state machine: identifying shows the resident's own compound's proposals (which
the household supports marked); support counts once and a second try is refused in plain words on
the proposal itself; raising one (with a photo from the kiosk camera, or without) sends one
idempotency key (a retry keeps it) and prints a slip."""

from __future__ import annotations

from typing import Any

from kiosk.state import Step
from kiosk.visit.flow import KioskFlow

from .test_activities import identify


def open_council(flow: KioskFlow, station: Any) -> None:
    flow.council.start()
    identify(flow, station)
    assert flow.state.step is Step.COUNCIL


def test_identifying_shows_the_compounds_proposals_and_which_the_household_supports(
        flow: KioskFlow, station: Any) -> None:
    open_council(flow, station)
    draft = flow.state.council
    assert dict(station.calls)["start_session"] == {"service": "council"}
    assert draft.compound == "GL-01" and draft.compound_name is not None
    assert [(p.id, p.supported, p.decision) for p in draft.proposals] == [
        ("p-1", False, ""), ("p-2", True, "同意，下月施工")]
    assert set(draft.phrases) == {"property_repairs"}  # the request categories' phrases, where they exist


def test_supporting_counts_once_and_the_second_time_is_refused_on_the_proposal(
        flow: KioskFlow, station: Any) -> None:
    open_council(flow, station)
    flow.council.show("p-1")
    assert flow.state.step is Step.COUNCIL_PROPOSAL and flow.council.can_support()
    flow.council.support()
    draft = flow.state.council
    assert draft.proposal is not None and draft.proposal.supporters == 3 and draft.proposal.supported
    assert not draft.refused and draft.message is not None and draft.message.en.startswith("Thank you")
    assert not flow.council.can_support()
    flow.back()
    assert flow.state.step is Step.COUNCIL and draft.proposals[0].supported  # the list shows it too
    flow.council.show("p-1")
    flow.council.support()  # the button is off, but a stale tap reaches the station: it refuses
    assert flow.state.step is Step.COUNCIL_PROPOSAL and draft.refused and draft.message is not None
    assert "once per household" in draft.message.en and "每户一次" in draft.message.zh
    assert draft.proposal is not None and draft.proposal.supporters == 3


def test_a_refusal_shows_the_stations_current_numbers(flow: KioskFlow, station: Any) -> None:
    open_council(flow, station)
    flow.council.show("p-1")
    proposal = station.council["proposals"]["p-1"]  # supported meanwhile elsewhere by the household
    proposal["supported"], proposal["supporters"] = True, 3
    flow.council.support()
    draft = flow.state.council
    assert draft.refused and draft.proposal is not None and draft.proposal.supporters == 3
    assert draft.proposal.supported and not flow.council.can_support()
    assert station.names().count("council_mine") == 2


def test_a_station_failure_while_supporting_goes_to_the_error_screen(flow: KioskFlow, station: Any) -> None:
    open_council(flow, station)
    flow.council.show("p-1")
    station.fail["support_proposal"].append(station.error("network.unreachable", 0))
    flow.council.support()
    assert flow.state.step is Step.ERROR


def test_printing_a_proposal_says_to_take_the_slip(flow: KioskFlow, station: Any) -> None:
    open_council(flow, station)
    flow.council.show("p-2")
    assert not flow.council.can_support()  # decided, and supported already
    flow.council.print_status()
    assert station.council["printed"] == ["p-2"]
    assert flow.state.council.message is not None and not flow.state.council.refused


def test_raising_a_proposal_with_phrases_and_own_words(flow: KioskFlow, station: Any) -> None:
    open_council(flow, station)
    flow.council.raise_new()
    assert flow.state.step is Step.COUNCIL_CATEGORY
    flow.council.choose_category("property_repairs")
    assert flow.state.step is Step.COUNCIL_WRITE
    flow.council.write_done()  # nothing written yet: stays
    assert flow.state.step is Step.COUNCIL_WRITE
    flow.council.toggle_phrase("stair_light")
    flow.council.write("text")
    assert flow.state.entry is not None and flow.state.entry.field == "council:text"
    flow.entry_changed("三个月了")
    flow.close_entry()
    assert flow.council.composed() == ("楼道灯不亮", "楼道灯不亮；三个月了")
    flow.council.write("title")
    flow.entry_changed("3号楼楼道灯")
    flow.close_entry()
    flow.council.write_done()
    assert flow.state.step is Step.COUNCIL_PHOTO
    flow.council.camera.skip_photo()
    assert flow.state.step is Step.COUNCIL_CONFIRM
    flow.council.send()
    assert flow.state.step is Step.COUNCIL_DONE
    sent = dict(station.calls)["raise_proposal"]
    assert sent["compound"] == "GL-01" and sent["category"] == "property_repairs" and sent["photo"] is None
    assert sent["title"] == "3号楼楼道灯" and sent["text"] == "楼道灯不亮；三个月了"
    draft = flow.state.council
    assert draft.raised is not None and draft.raised.number == "9F3C2A1B" and draft.slip_printed
    assert station.council["printed"] == [draft.raised.id]
    assert draft.proposals[0].id == draft.raised.id and draft.title == ""


def test_a_retry_after_a_lost_answer_keeps_the_key(flow: KioskFlow, station: Any) -> None:
    open_council(flow, station)
    flow.council.raise_new()
    flow.council.choose_category("public_facilities")
    flow.council.write("title")
    flow.entry_changed("加装座椅")
    flow.close_entry()
    flow.council.write_done()
    flow.council.camera.skip_photo()
    station.fail["raise_proposal"].append(station.error("network.timeout", 0))
    flow.council.send()
    assert flow.state.step is Step.ERROR
    flow.retry()
    assert flow.state.step is Step.COUNCIL_DONE
    keys = [kw["idempotency_key"] for name, kw in station.calls if name == "raise_proposal"]
    assert len(keys) == 2 and keys[0] == keys[1] and len(station.council["raised"]) == 1


def test_a_slip_that_does_not_print_keeps_the_proposal(flow: KioskFlow, station: Any) -> None:
    open_council(flow, station)
    flow.council.raise_new()
    flow.council.choose_category("public_facilities")
    flow.council.write("title")
    flow.entry_changed("加装座椅")
    flow.close_entry()
    flow.council.write_done()
    flow.council.camera.skip_photo()
    station.fail["print_proposal"].append(station.error("printer.media_empty", 503))
    flow.council.send()
    draft = flow.state.council
    assert flow.state.step is Step.COUNCIL_DONE and not draft.slip_printed and draft.slip_problem


def write_a_proposal(flow: KioskFlow, station: Any) -> None:
    open_council(flow, station)
    flow.council.raise_new()
    flow.council.choose_category("public_facilities")
    flow.council.write("title")
    flow.entry_changed("加装座椅")
    flow.close_entry()
    flow.council.write_done()
    assert flow.state.step is Step.COUNCIL_PHOTO


def test_a_photo_from_the_kiosk_camera_goes_with_the_proposal(flow: KioskFlow, station: Any) -> None:
    write_a_proposal(flow, station)
    flow.council.camera.take_photo()
    draft = flow.state.council
    assert draft.preview and draft.photo is None and flow.state.step is Step.COUNCIL_PHOTO
    flow.council.camera.retake_photo()
    flow.council.camera.keep_photo()
    assert flow.state.step is Step.COUNCIL_CONFIRM and draft.photo and draft.preview is None
    flow.back()
    assert flow.state.step is Step.COUNCIL_PHOTO
    flow.council.camera.photo_next()  # keeps the photo accepted before
    assert flow.state.step is Step.COUNCIL_CONFIRM and draft.photo
    flow.council.send()
    assert flow.state.step is Step.COUNCIL_DONE
    assert dict(station.calls)["raise_proposal"]["photo"] == b"\xff\xd8\xff\xe0 a jpeg"
    assert [name for name, _ in station.calls].count("take_photo") == 2
    assert draft.photo is None and draft.preview is None  # sent: not kept for the next proposal


def test_no_camera_says_so_and_the_proposal_goes_on_without_a_photo(flow: KioskFlow, station: Any) -> None:
    write_a_proposal(flow, station)
    station.fail["take_photo"].append(station.error("camera.not_responding", 503))
    flow.council.camera.take_photo()
    draft = flow.state.council
    assert draft.photo_problem and draft.preview is None and flow.state.step is Step.COUNCIL_PHOTO
    flow.council.camera.photo_next()
    assert flow.state.step is Step.COUNCIL_CONFIRM
    flow.council.send()
    assert dict(station.calls)["raise_proposal"]["photo"] is None


def test_the_visit_ending_forgets_the_photo(flow: KioskFlow, station: Any) -> None:
    write_a_proposal(flow, station)
    flow.council.camera.take_photo()
    flow.council.camera.keep_photo()
    flow.home()
    assert flow.state.council.photo is None and flow.state.council.preview is None


def test_someone_in_no_compound_sees_why_and_cannot_raise(flow: KioskFlow, station: Any) -> None:
    station.council["compound"] = ""
    open_council(flow, station)
    flow.council.raise_new()
    assert flow.state.step is Step.COUNCIL and flow.state.council.proposals == []


def test_the_visit_ending_forgets_the_council(flow: KioskFlow, station: Any) -> None:
    open_council(flow, station)
    flow.home()
    assert flow.state.council.compound == "" and flow.state.council.proposals == []
