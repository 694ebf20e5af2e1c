"""物资需求登记 in emergency mode: the household identifies, chooses the kind and the urgency the
station offers, leaves a phone on the keypad and optional phrases, and sends; a failed send is
retried with the same idempotency key; changing the need makes a new key; the visit forgets it."""

from __future__ import annotations

from typing import Any

from kiosk.dialogs import EntryKind
from kiosk.state import Step
from kiosk.visit.flow import KioskFlow

from .test_emergency import ACTIVE

CHOICES = {"need_kinds": [{"code": "food", "name": {"zh": "食品", "en": "Food"}},
                          {"code": "medicine", "name": {"zh": "药品", "en": "Medicine"}}],
           "urgencies": [{"code": "normal", "name": {"zh": "一般", "en": "Normal"}},
                         {"code": "urgent", "name": {"zh": "紧急", "en": "Urgent"}}]}


def to_contact(flow: KioskFlow, station: Any) -> None:
    station.emergency_body = ACTIVE | CHOICES
    flow.refresh_station()
    flow.choose_service("emergency")
    flow.emergency.register_need()
    assert flow.state.step is Step.WAIT_CARD
    flow.events.on_event(station.identified(flow.state.session_id or ""))
    flow.identification.confirm_identity()
    assert flow.state.step is Step.NEED_KIND
    need = flow.emergency.need
    need.choose_kind("water")  # not offered: nothing happens
    assert flow.state.step is Step.NEED_KIND
    need.choose_kind("medicine")
    assert flow.state.step is Step.NEED_URGENCY
    need.choose_urgency("urgent")
    assert flow.state.step is Step.NEED_CONTACT


def type_phone(flow: KioskFlow, phone: str) -> None:
    flow.emergency.need.enter_phone()
    assert flow.state.entry is not None and flow.state.entry.kind is EntryKind.PHONE
    flow.entry_changed(phone)
    flow.close_entry()


def test_a_household_registers_a_need(flow: KioskFlow, station: Any) -> None:
    to_contact(flow, station)
    need = flow.emergency.need
    need.submit()  # no phone yet
    assert "register_need" not in station.names()
    type_phone(flow, "13800138000")
    need.toggle_phrase("cannot_walk")
    need.toggle_phrase("baby")
    need.toggle_phrase("baby")  # touched again: dropped
    need.submit()
    sent = dict(station.calls)["register_need"]
    assert sent == {"session_id": "session-1", "idempotency_key": sent["idempotency_key"], "kind": "medicine",
                    "urgency": "urgent", "phone": "13800138000", "phrases": ["家中有人行动不便、无法下楼"],
                    "print": True}
    assert flow.state.step is Step.NEED_DONE
    registered = flow.state.volunteer.need.registered
    assert registered is not None and registered.need_no == "N-0001"
    flow.emergency.finish()
    assert flow.state.step is Step.THANKS and flow.state.volunteer.need.registered is None


def test_a_failed_send_is_retried_with_the_same_key(flow: KioskFlow, station: Any) -> None:
    to_contact(flow, station)
    type_phone(flow, "13800138000")
    station.fail["register_need"].append(station.error("station.unreachable", 503))
    flow.emergency.need.submit()
    assert flow.state.step is Step.ERROR
    flow.retry()
    assert flow.state.step is Step.NEED_DONE
    keys = [c["idempotency_key"] for n, c in station.calls if n == "register_need"]
    assert len(keys) == 2 and keys[0] == keys[1]


def test_changing_the_need_makes_a_new_key(flow: KioskFlow, station: Any) -> None:
    to_contact(flow, station)
    type_phone(flow, "13800138000")
    station.fail["register_need"].append(station.error("station.unreachable", 503))
    flow.emergency.need.submit()
    first = flow.state.volunteer.need.idempotency_key
    flow.go(Step.NEED_CONTACT)  # as if the resident had gone back to correct the number
    type_phone(flow, "13900139000")
    assert flow.state.volunteer.need.idempotency_key is None
    flow.emergency.need.submit()
    keys = [c["idempotency_key"] for n, c in station.calls if n == "register_need"]
    assert keys[0] == first and keys[1] != first


def test_back_goes_one_step_back(flow: KioskFlow, station: Any) -> None:
    to_contact(flow, station)
    flow.back()
    assert flow.state.step is Step.NEED_URGENCY
    flow.back()
    assert flow.state.step is Step.NEED_KIND
