"""邻里一家亲 at the kiosk: a resident identifies and sees their building's group (name and QR text);
a building without one is told so (group.none), and other failures can be tried again."""

from __future__ import annotations

from typing import Any

from kiosk.state import Step
from kiosk.visit.flow import KioskFlow

GROUP = {"building": "3", "name": {"zh": "3栋邻里一家亲", "en": "Building 3 neighbours"},
         "qr_text": "https://weixin.qq.com/g/ui-walk-3"}


def identify(flow: KioskFlow, station: Any) -> None:
    flow.neighbours.start()
    assert flow.state.step is Step.WAIT_CARD and flow.state.service == "neighbours"
    flow.events.on_event(station.identified(flow.state.session_id or ""))
    flow.identification.confirm_identity()


def test_a_resident_sees_their_buildings_group(flow: KioskFlow, station: Any) -> None:
    station.neighbour_group_body = GROUP
    identify(flow, station)
    assert flow.state.step is Step.NEIGHBOUR_GROUP
    assert dict(station.calls)["neighbour_group"] == {"session_id": "session-1"}
    group = flow.state.volunteer.group
    assert group is not None and group.qr_text == GROUP["qr_text"] and group.name.zh == "3栋邻里一家亲"
    flow.neighbours.finish()
    assert flow.state.step is Step.THANKS and flow.state.volunteer.group is None  # forgotten


def test_a_building_without_a_group_is_told_so(flow: KioskFlow, station: Any) -> None:
    identify(flow, station)
    assert flow.state.step is Step.NEIGHBOUR_GROUP and flow.state.volunteer.group is None
    missing = flow.state.volunteer.group_missing
    assert missing is not None and missing.zh == "group.none 中文"


def test_a_failed_lookup_can_be_tried_again(flow: KioskFlow, station: Any) -> None:
    station.neighbour_group_body = GROUP
    station.fail["neighbour_group"].append(station.error("station.unavailable", 503))
    identify(flow, station)
    assert flow.state.step is Step.ERROR
    flow.retry()
    assert flow.state.step is Step.NEIGHBOUR_GROUP and flow.state.volunteer.group is not None
