"""Emergency mode (战时) at the kiosk: polled with the station's description; while active, home's
banner leads to the emergency home: 紧急求助 shows and prints the hotline (shown even when the printer
fails), a volunteer identifies and checks in to a task group. Inactive: the entry does nothing."""

from __future__ import annotations

from typing import Any

from kiosk.state import Step
from kiosk.visit.flow import KioskFlow

ACTIVE = {"active": True, "hotline": "0898-66668888",
          "areas": [{"message": {"zh": "桂林花园封控", "en": "Guilin Garden closed"},
                     "notices": [{"title": {"zh": "物资", "en": "Supplies"},
                                  "body": {"zh": "每日9点配送", "en": "Delivered at 9"}}]}],
          "task_groups": [{"code": "supplies", "name": {"zh": "物资保障组", "en": "Supplies"}}]}


def activate(flow: KioskFlow, station: Any) -> None:
    station.emergency_body = ACTIVE
    flow.refresh_station()
    info = flow.state.emergency
    assert info is not None and info.active and info.message.zh == "桂林花园封控"
    assert info.notices[0].zh == "物资: 每日9点配送"


def test_inactive_the_emergency_entry_does_nothing(flow: KioskFlow, station: Any) -> None:
    assert "emergency" in station.names()  # polled with the station's description
    flow.choose_service("emergency")
    assert flow.state.step is Step.HOME


def test_call_for_help_shows_and_prints_the_hotline(flow: KioskFlow, station: Any) -> None:
    activate(flow, station)
    flow.choose_service("emergency")
    assert flow.state.step is Step.EMERGENCY and not flow.state.volunteer.hotline_shown
    station.fail["emergency_hotline"].append(station.error("printer.media_empty", 503))
    flow.emergency.hotline()
    assert flow.state.volunteer.hotline_shown and flow.state.step is Step.EMERGENCY  # the number still shows
    flow.emergency.hotline()
    assert [c for n, c in station.calls if n == "emergency_hotline"] == [{"print_it": True}] * 2
    flow.emergency.finish()
    assert flow.state.step is Step.HOME


def test_a_volunteer_checks_in_to_a_task_group(flow: KioskFlow, station: Any) -> None:
    activate(flow, station)
    flow.choose_service("emergency")
    flow.emergency.check_in()
    assert flow.state.step is Step.WAIT_CARD and flow.state.service == "emergency"
    flow.events.on_event(station.identified(flow.state.session_id or ""))
    flow.identification.confirm_identity()
    assert flow.state.step is Step.EMERGENCY_CHECKIN
    flow.emergency.choose_group("supplies")
    assert dict(station.calls)["emergency_checkin"] == {"session_id": "session-1", "task_group": "supplies"}
    checkin = flow.state.volunteer.checkin
    assert checkin is not None and checkin.group_name.zh == "物资保障组"
    flow.emergency.choose_group("supplies")  # once
    assert station.names().count("emergency_checkin") == 1
    flow.emergency.finish()
    assert flow.state.step is Step.THANKS and flow.state.volunteer.checkin is None


def test_my_needs_are_listed_after_identifying(flow: KioskFlow, station: Any) -> None:
    activate(flow, station)
    flow.choose_service("emergency")
    flow.emergency.my_needs()
    flow.events.on_event(station.identified(flow.state.session_id or ""))
    flow.identification.confirm_identity()
    assert flow.state.step is Step.EMERGENCY_NEEDS
    assert [n.state_words.zh for n in flow.state.volunteer.needs] == ["已接单"]
    flow.emergency.finish()
    assert flow.state.step is Step.THANKS and flow.state.volunteer.needs == []


class RecordingSpeaker:
    """The Speaker seam's fake: what would have been read aloud."""

    def __init__(self) -> None:
        self.said: list[tuple[str, str, bool, bool]] = []

    def say(self, text: str, lang: str, *, slow: bool = False, wait: bool = False) -> None:
        self.said.append((text, lang, slow, wait))


def test_the_banner_follows_emergency_mode_on_any_screen_within_one_poll(flow: KioskFlow, station: Any,
                                                                        clock: Any) -> None:
    assert flow.emergency.banner() is None
    flow.choose_service("help")  # a screen other than home: the station's description is not refreshed
    assert flow.state.step is Step.HELP
    station.emergency_body = ACTIVE
    flow.tick()
    assert flow.emergency.banner() is None  # not yet asked again
    clock.advance(30)
    flow.tick()
    assert flow.emergency.banner() == "桂林花园封控"
    station.emergency_body = {"active": False, "areas": []}
    clock.advance(30)
    flow.tick()
    assert flow.emergency.banner() is None and flow.state.step is Step.HELP


def test_a_long_message_is_cut_to_one_line_on_the_banner(flow: KioskFlow, station: Any) -> None:
    station.emergency_body = {**ACTIVE, "areas": [{"message": {"zh": "封" * 50, "en": "x" * 50}}]}
    flow.refresh_station()
    banner = flow.emergency.banner()
    assert banner is not None and len(banner) == 30 and banner.endswith("…")


def test_the_banner_opens_the_emergency_home_from_an_idle_screen(flow: KioskFlow, station: Any) -> None:
    activate(flow, station)
    flow.choose_service("help")
    flow.emergency.open_from_banner()
    assert flow.state.step is Step.EMERGENCY and flow.state.service == "emergency"
    assert flow.emergency.banner() is None  # the emergency's own screens say it in full
    flow.emergency.open_from_banner()  # already there
    assert flow.state.step is Step.EMERGENCY


def test_during_a_visit_the_banner_asks_before_clearing_the_residents_details(flow: KioskFlow,
                                                                              station: Any) -> None:
    activate(flow, station)
    flow.choose_service("volunteers")
    flow.events.on_event(station.identified(flow.state.session_id or ""))
    assert flow.state.identity is not None
    flow.emergency.open_from_banner()
    assert flow.state.dialog is not None and flow.state.step is Step.IDENTITY  # "End this visit?"


def test_the_notices_are_read_aloud_when_the_emergency_home_opens_and_on_request(flow: KioskFlow,
                                                                                  station: Any) -> None:
    speaker = flow.emergency.speaker = RecordingSpeaker()
    activate(flow, station)
    flow.choose_service("emergency")
    assert speaker.said == [("桂林花园封控\n物资: 每日9点配送", "zh_CN", False, True)]  # after the clip
    flow.toggle_elderly()
    flow.emergency.read_aloud(0)  # 朗读 next to the notice: that notice, at once, slowly
    assert speaker.said[-1] == ("物资: 每日9点配送", "zh_CN", True, False)
    flow.emergency.read_aloud(5)  # no such notice
    assert len(speaker.said) == 2


def test_muted_nothing_is_read_aloud(flow: KioskFlow, station: Any) -> None:
    speaker = flow.emergency.speaker = RecordingSpeaker()
    activate(flow, station)
    flow.toggle_mute()
    flow.choose_service("emergency")
    flow.emergency.read_aloud(0)
    assert speaker.said == []


def test_a_notices_picture_is_fetched_once_from_the_station_and_forgotten_with_the_notice(
        flow: KioskFlow, station: Any) -> None:
    path = "/api/emergency/areas/m1/notices/1/image"
    area = ACTIVE["areas"][0] | {"notices": [*ACTIVE["areas"][0]["notices"],  # type: ignore[index]
                                             {"title": {"zh": "发放点"}, "has_image": True, "image": path},
                                             {"title": {"zh": "远处"}, "has_image": True,
                                              "image": "http://example.org/x.jpg"}]}  # not the station's
    station.emergency_body = ACTIVE | {"areas": [area]}
    flow.refresh_station()
    info = flow.state.emergency
    assert info is not None and [n.has_image for n in info.notices] == [False, True, False]
    assert flow.emergency.images == {path: b"\xff\xd8\xff\xe0 a notice's picture"}
    flow.refresh_station()
    assert [c for n, c in station.calls if n == "emergency_image"] == [{"path": path}]
    station.emergency_body = {"active": False, "areas": []}
    flow.refresh_station()
    assert flow.emergency.images == {}
