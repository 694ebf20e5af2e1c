"""Every screen of the kiosk, in both languages and both modes (normal and 长辈模式), reached the
way a resident reaches it — real taps under Xvfb against the real station and simulators — and
checked for clipped or overflowing text, text size, touch-target size and overlaps (``walk.Walk``).
The walks go through the journeys in Chinese (the English ones are the journey tests), with a
printer that runs out of paper mid-journey and the idle timeout with a dialog open. A picture of
each screen lands in test-artifacts/ui/screens/."""

from __future__ import annotations

import base64
import os
import re
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from backend.shared.volunteers.notice_image import IMAGE_KEY
from devices.scanner.base import DEFAULT_DUPLICATE_WINDOW
from kiosk.screens import SCREENS
from support.stack import Simulators, Station

from . import community
from .audit import Audit
from .conftest import CARD_FRESH_SECONDS, KioskUi, job_text, new_jobs
from .test_verify_journey import altered, printed_token
from .walk import COMBOS, Walk, decide_application, hold, show_the_camera, type_on_keypad

pytestmark = pytest.mark.ui

STUDENT = "孙八"  # born 2008: may apply for the proof for a student (PKXS: 25 or younger)


@pytest.fixture
def walk(kiosk_ui: KioskUi, sims: Simulators, running_station: Station, audit: Audit) -> Walk:
    if os.environ.get("KIOSK_UI_WALK_EMERGENCY") == "1":  # by hand: every screen under the emergency banner
        put_emergency(running_station, True)
        kiosk_ui.advance(31)
        kiosk_ui.wait(lambda s: any(w["id"] == "emergency_banner" and not w["disabled"] for w in s["widgets"]),
                      "the emergency banner", widgets=True)
    return Walk(kiosk_ui, sims, running_station, audit)


def test_attract_home_help_notices_keyboards_and_paused_tiles(walk: Walk) -> None:
    ui = walk.ui
    state = ui.wait_screen("home")
    ui.advance(state["flow"]["auto_remaining"] + 0.5)  # untouched, home falls asleep
    ui.wait_screen("attract")
    walk.check("attract", pictures=(("zh_CN", False), ("en", True)))
    ui.wake()
    ui.wait(lambda s: not ui.widget("tile_certificates")["disabled"], "the certificate tile")
    top_bar_by_touch(ui)
    walk.check("home", pictures=(("zh_CN", False), ("en", True)))
    ui.look("zh_CN", False)  # (elderly mode shows four tiles: help and notices are left out)
    walk.go("tile_help", "help")
    walk.check("help")
    walk.go("nav_back", "home")
    ui.look("zh_CN", False)
    walk.go("tile_notices", "notices")
    walk.check("notices")
    walk.go("nav_back", "home")
    walk.sims.fault("printer", "paper_out")  # out of service, explained on the tile and on a touch
    paused = {"打印机缺纸，暂停服务", "Paused: the printer is out of paper"}
    ui.wait(lambda s: bool(paused & {w["text"] for w in s["widgets"]}), "the paused tile", widgets=True)
    walk.check("home-paused")
    walk.dialog("unavailable", lambda: ui.tap("tile_certificates"))
    walk.sims.clear("printer")
    ui.wait(lambda s: not paused & {w["text"] for w in s["widgets"]}, "the tile back", widgets=True)
    for kind, keys in (("pinyin", "shequ"), ("english", "room"), ("phone", "1380013"), ("month", "20240"),
                       ("pin", "0000")):
        ui.call("POST", "/entry", {"kind": kind})
        ui.wait(lambda s, k=kind: s["flow"]["entry"] == k, f"the {kind} keyboard")
        for key in keys:
            ui.call("POST", "/entry/key", {"code": key})
        walk.check(f"keyboard-{kind}", closed=lambda: ui.tap("entry_cancel"))
        ui.wait(lambda s: s["flow"]["entry"] is None, "the keyboard closed")
    walk.assert_no_problems()


def top_bar_by_touch(ui: KioskUi) -> None:
    """中文/English and 长辈模式 answer real touches in both modes (the walks switch by the hook)."""
    ui.look("zh_CN", False)
    for widget, expect in (("lang_en", ("en", False)), ("elderly_toggle", ("en", True)),
                           ("lang_zh_CN", ("zh_CN", True)), ("elderly_toggle", ("zh_CN", False))):
        ui.tap(widget)
        ui.wait(lambda s, e=expect: (s["lang"], s["flow"]["elderly"]) == e, f"{widget} touched")


def test_verify_screens(walk: Walk) -> None:
    ui, sims = walk.ui, walk.sims
    genuine = printed_token(walk.station, sims)
    walk.go("tile_verify", "scan_code")
    walk.check("scan_code")
    for token, verdict in ((genuine, "genuine"), (altered(genuine), "tampered")):
        sims.call("POST", "/devices/scanner/scan", {"text": token})
        ui.wait(lambda s, v=verdict: s["flow"]["verdict"] == v, verdict)
        walk.check(f"verify_result-{verdict}")
        walk.go("verify_again", "scan_code")
    walk.assert_no_problems()


def test_certificate_screens_with_the_printer_running_out_of_paper(walk: Walk) -> None:
    ui, sims = walk.ui, walk.sims
    walk.go("tile_certificates", "wait_card")
    walk.check("wait_card")
    walk.go("use_phone_code", "scan_resident")
    sims.call("POST", "/devices/scanner/scan", {"text": "SF1:NOT-A-RESIDENT-CODE"})
    ui.wait(lambda s: s["flow"]["scan_error"] is not None, "the refused resident code")
    walk.check("scan_resident")
    walk.go("nav_back", "wait_card")
    walk.go("simulate_card", "identity")
    walk.check("identity")
    walk.dialog("cancel_visit", lambda: ui.tap("nav_home"))  # leaving would clear: it asks
    walk.go("identity_confirm", "choose_type")
    walk.check("choose_type")
    walk.check("idle_warning", lambda: ui.advance(max(0.0, ui.state()["flow"]["idle_remaining"] - 10)))
    walk.go("type_JZZM", "choose_purpose")  # a touch answers the warning
    walk.check("choose_purpose")
    walk.go("purpose_school", "confirm")
    walk.check("confirm")
    before = len(sims.jobs())
    sims.fault("printer", "paper_out")  # the printer runs out of paper mid-journey
    ui.tap("confirm_print")
    state = ui.wait_screen("error", timeout=30)
    assert state["flow"]["problem"] == "printer.media_empty"
    walk.check("error")
    sims.clear("printer")
    sims.fault("printer", "slow", bytes_per_second=250)
    ui.tap("action_retry")
    ui.wait(lambda s: s["screen"] == "printing", "printing")
    walk.check("printing")
    sims.clear("printer")
    state = ui.wait_screen("done", timeout=60)
    assert state["flow"]["certificate_state"] == "printed"
    serial = state["flow"]["serial"]
    printed = [j for j in new_jobs(sims, before) if serial in job_text(sims, j)]
    assert len(printed) == 1, f"the receipt, printed once: {printed}"
    walk.check("done")
    walk.go("done_finish", "rate")
    walk.check("rate")
    ui.tap("rate_2")  # a bad level: the reasons that fit it show
    ui.wait(lambda s: s["flow"]["rating"]["level"] == 2, "the level chosen")
    walk.check("rate-level")
    walk.go("rate_send", "thanks")
    walk.check("thanks")
    walk.go("thanks_home", "home")
    idle_with_a_dialog_open(ui)
    walk.assert_no_problems()


def idle_with_a_dialog_open(ui: KioskUi) -> None:
    ui.look("zh_CN", True)
    ui.go("tile_certificates", "wait_card")
    ui.go("simulate_card", "identity")
    ui.tap("nav_home")
    ui.wait(lambda s: s["flow"]["dialog"] == "cancel_visit", "the question")
    state = ui.advance(ui.state()["flow"]["idle_remaining"] - 15)
    assert state["flow"]["dialog"] == "cancel_visit"
    assert ui.widget("idle_warning")["on_screen"]  # above the dialog
    ui.screenshot("14-idle-warning-over-dialog-elderly")
    ui.advance(15.5)
    state = ui.wait_screen("home")
    assert state["flow"]["dialog"] is None and not state["flow"]["has_session"]
    assert not state["flow"]["elderly"]  # the next resident starts in the normal mode
    assert "张三" not in " ".join(w["text"] for w in ui.call("GET", "/widgets?all=1"))


def test_request_screens_filing_with_a_photo_and_a_phone_number(walk: Walk) -> None:
    """我要反映 in Chinese (the English journey: test_request_journey), then 进度查询 by its slip."""
    ui, sims = walk.ui, walk.sims
    walk.go("tile_requests", "request_category")
    walk.check("request_category")
    walk.go("category_property_repairs", "wait_card")  # not anonymous: identify first
    walk.check("wait_card-request")
    walk.go("simulate_card", "identity")
    walk.go("identity_confirm", "request_place")
    walk.check("request_place")
    walk.go("building_9", "request_spot")
    walk.check("request_spot")
    walk.go("spot_2", "request_describe")
    ui.tap("phrase_water_leak")
    ui.wait(lambda s: s["flow"]["request"]["phrases"] == ["water_leak"], "the phrase chosen")
    walk.check("request_describe")
    walk.go("describe_next", "request_photo")
    walk.check("request_photo")
    show_the_camera(sims, "9号楼2单元 水管漏水")
    ui.tap("photo_take")
    ui.wait(lambda s: s["flow"]["request"]["preview"] and s["flow"]["busy"] is None, "the photo")
    walk.check("request_photo-preview")
    walk.go("photo_use", "request_contact")
    ui.tap("contact_phone")
    ui.wait(lambda s: s["flow"]["entry"] == "phone", "the phone keypad")
    type_on_keypad(ui, "13800138000")
    ui.tap("entry_ok")
    ui.wait(lambda s: s["flow"]["request"]["has_phone"], "the phone number")
    ui.tap("confidential_no")
    ui.wait(lambda s: s["flow"]["request"]["confidential"] is False, "the choice")
    walk.check("request_contact")
    walk.go("contact_next", "request_confirm")
    walk.check("request_confirm")
    before = len(sims.jobs())
    state = walk.go("request_submit", "request_done", timeout=30)
    ticket_no = state["flow"]["ticket_no"]
    assert state["flow"]["request"]["slip_printed"] and ticket_no
    assert ticket_no in job_text(sims, new_jobs(sims, before)[0])
    walk.check("request_done")
    walk.go("request_finish", "thanks")  # nothing closed to rate yet
    walk.go("thanks_home", "home")

    walk.go("tile_progress", "progress_scan")
    walk.check("progress_scan")
    ui.tap("simulate_scan")  # the simulated scanner scans the newest slip: the one just printed
    state = ui.wait_screen("progress")
    assert state["flow"]["ticket_no"] == ticket_no
    walk.check("progress")
    walk.go("nav_home", "home")
    file_another_request(walk.station, sims)  # two requests: identifying lists them
    walk.go("tile_progress", "progress_scan")
    walk.go("progress_identify", "wait_card")
    walk.go("simulate_card", "identity")
    walk.go("identity_confirm", "progress_list")
    walk.check("progress_list")
    walk.go(f"ticket_{ticket_no}", "progress")
    walk.go("nav_back", "progress_list")
    walk.assert_no_problems()


def file_another_request(station: Station, sims: Simulators) -> None:
    """The demo resident files a second request straight through the station's API."""
    with station.client() as http:
        session = sims.identify(http, "requests")
        filed = http.post("/api/tickets", json={
            "session_id": session, "idempotency_key": uuid.uuid4().hex, "category": "public_facilities",
            "anonymous": False, "place": {"kind": "public", "building": "", "unit": "", "landmark": ""},
            "phrases": ["streetlight"], "text": "", "phone": "13800138000", "confidential": False})
        assert filed.status_code == 201, filed.text
        http.delete(f"/api/sessions/{session}")
    sims.remove_card()


def test_application_screens_from_the_month_keypad_to_collecting(walk: Walk) -> None:
    ui, sims = walk.ui, walk.sims
    walk.go("tile_certificates", "wait_card")
    sims.insert_card(STUDENT)  # a proof for a student: the demo register's 17-year-old
    ui.wait_screen("identity")
    sims.remove_card()
    ui.wait(lambda s: not s["flow"]["card_on_reader"], "the card taken")
    walk.go("identity_confirm", "choose_type")
    walk.go("type_ZZZM", "choose_purpose")
    walk.go("purpose_other", "cert_fields")
    walk.check("cert_fields")
    ui.tap("field_tenancy_start")
    ui.wait(lambda s: s["flow"]["entry"] == "month", "the month keypad")
    type_on_keypad(ui, "202405")
    ui.tap("entry_ok")
    ui.wait(lambda s: s["flow"]["fields"] == ["tenancy_start"], "the month entered")
    walk.check("cert_fields-filled")
    walk.go("nav_back", "choose_purpose")
    walk.go("nav_back", "choose_type")
    walk.go("type_PKXS", "choose_purpose")
    walk.go("purpose_grant", "cert_fields")
    ui.look("zh_CN", False)  # the school's name on the pinyin keyboard
    ui.tap("field_school")
    ui.wait(lambda s: s["flow"]["entry"] == "pinyin", "the pinyin keyboard")
    type_on_keypad(ui, "xiaoxue")
    while ui.widget("entry_ok")["disabled"]:  # still composing: take the first candidate
        ui.tap("key_pick0")
    ui.tap("entry_ok")
    ui.wait(lambda s: s["flow"]["fields"] == ["school"], "the school entered")
    walk.go("fields_next", "confirm")
    walk.check("confirm-application")
    walk.go("confirm_print", "applied", timeout=30)
    walk.check("applied")
    walk.go("applied_finish", "thanks")
    walk.go("thanks_home", "home")
    walk.go("tile_certificates", "wait_card")
    walk.go("collect_with_slip", "pickup_scan")
    walk.check("pickup_scan")
    ui.tap("simulate_scan")
    ui.wait_screen("pickup")
    assert ui.state()["flow"]["pickup_problem"]  # staff have not decided yet
    walk.check("pickup-waiting")
    decide_application(walk.station, approve=True)
    walk.go("nav_home", "home")
    walk.go("tile_verify", "scan_code")  # an application slip scanned anywhere collects it
    _scan_latest_pickup(walk.station)
    ui.wait_screen("pickup")
    assert ui.state()["flow"]["pickup_problem"] is None
    walk.check("pickup")
    sims.insert_card("1")  # a card left on the reader: the visit's end asks to take it
    ui.wait(lambda s: s["flow"]["card_on_reader"], "the card seen")
    ui.tap("nav_home")
    ui.wait_screen("take_card")
    walk.check("take_card")
    sims.remove_card()
    ui.wait_screen("home")
    walk.assert_no_problems()


def _scan_latest_pickup(station: Station) -> None:
    response = httpx.post(station.url + "/api/sim/scanner/scan", json={"sample": "latest_pickup"}, timeout=10,
                          auth=station.auth)
    response.raise_for_status()


def test_maintenance_screens(walk: Walk) -> None:
    ui = walk.ui
    hold(ui, title_or_banner(ui), lambda s: s["flow"]["entry"] == "pin", "the PIN keypad")
    walk.check("keyboard-pin-maintenance")
    type_on_keypad(ui, "12345678")
    ui.tap("entry_ok")
    ui.wait(lambda s: s["flow"]["dialog"] == "wrong_pin", "the wrong PIN refused")
    walk.check("dialog-wrong_pin", closed=lambda: ui.tap("dialog_close"))
    ui.wait(lambda s: s["flow"]["dialog"] is None, "the dialog closed")
    hold(ui, title_or_banner(ui), lambda s: s["flow"]["entry"] == "pin", "the PIN keypad")
    type_on_keypad(ui, "00000000")
    ui.tap("entry_ok")
    ui.wait_screen("maintenance")
    ui.wait(lambda s: any(w["id"] == "device_printer" for w in s["widgets"]), "the devices", widgets=True)
    walk.check("maintenance")
    walk.go("nav_home", "home")
    walk.assert_no_problems()


def test_a_card_left_on_the_reader_is_asked_to_be_placed_again(walk: Walk) -> None:
    ui, sims = walk.ui, walk.sims
    sims.insert_card("1")  # someone left it, long enough ago
    ui.wait(lambda s: s["flow"]["card_on_reader"], "the card seen")
    time.sleep(CARD_FRESH_SECONDS + 0.5)
    walk.go("tile_certificates", "wait_card")
    ui.wait(lambda s: s["flow"]["card_left"], "the kiosk to say a card was left")
    ui.wait_text("读卡器上已经有一张身份证。请先把它取走，再放上您的身份证。")
    walk.check("wait_card-card_left")
    assert ui.state()["flow"]["identified"] is False
    sims.remove_card()
    ui.wait(lambda s: not s["flow"]["card_on_reader"], "the card taken")
    sims.insert_card("1")  # placed anew: now it is read
    ui.wait_screen("identity")
    sims.remove_card()
    walk.assert_no_problems()


def test_activity_screens_signing_up_cancelling_and_checking_in(walk: Walk) -> None:
    ui, sims, station = walk.ui, walk.sims, walk.station
    open_id = community.publish(station, title="府城元宵换花节", starts_in=timedelta(days=3))
    full_id = community.publish(station, title="书法班", starts_in=timedelta(days=4), capacity=1,
                                confirmed=1)

    walk.go("home_activities", "activities")
    walk.check("activities")
    walk.go(f"activity_{full_id}", "activity")
    assert ui.widget("activity_sign_up")["text"] == "报名候补"
    walk.go("nav_back", "activities")
    walk.go(f"activity_{open_id}", "activity")
    walk.check("activity")
    before = len(sims.jobs())
    walk.go("activity_sign_up", "wait_card")
    walk.go("simulate_card", "identity")
    walk.go("identity_confirm", "activity_done")
    assert "府城元宵换花节" in job_text(sims, new_jobs(sims, before)[0])
    walk.check("activity_done")
    walk.go("activity_done", "thanks")  # (the demo card is taken back with the visit)
    walk.go("thanks_home", "home")

    walk.go("home_activities", "activities")
    walk.go("activities_mine", "wait_card")
    walk.go("simulate_card", "identity")
    walk.go("identity_confirm", "my_signups")
    walk.check("my_signups")
    cancels = [w["id"] for w in ui.widgets() if w["id"].startswith("cancel_") and not w["disabled"]]
    assert len(cancels) == 1
    ui.tap(cancels[0])
    ui.wait(lambda s: cancels[0] not in {w["id"] for w in ui.widgets()}, "the sign-up cancelled")
    ui.tap("nav_home")  # leaving with the resident's details asks first
    ui.wait(lambda s: s["flow"]["dialog"] == "cancel_visit", "the question")
    walk.go("dialog_end_visit", "home")

    now_id = community.publish(station, title="广场舞", starts_in=timedelta(minutes=-10))
    token = community.ticket(station, sims, now_id)
    sims.call("POST", "/devices/scanner/scan", {"text": token})  # at the event: the ticket
    scanned = time.monotonic()
    ui.wait_screen("checkin")
    assert ui.widget("checkin_prompt")["text"] == "签到成功，欢迎参加！"
    walk.check("checkin")
    # A second time, as a person would scan again after reading the screen: past the scanner's
    # duplicate window (a code held under the scanner is read once, not once a frame).
    time.sleep(max(0.0, scanned + DEFAULT_DUPLICATE_WINDOW + 0.2 - time.monotonic()))
    sims.call("POST", "/devices/scanner/scan", {"text": token})  # refused
    ui.wait(lambda s: ui.widget("checkin_prompt")["text"] == "这张活动票未能签到。", "refused")
    walk.assert_no_problems()


def test_accounts_screens_for_an_owner_and_for_anyone_else(walk: Walk) -> None:
    ui, sims = walk.ui, walk.sims
    community.publish_accounts(walk.station, "GL-02", ["2026-11", "2026-10"])  # 椰林苑: 孙八's
    walk.go("home_community", "community")
    walk.go("community_accounts", "wait_card")
    walk.go("simulate_card", "identity")  # 张三 lives in 桂林花园, which publishes nothing
    walk.go("identity_confirm", "accounts_public")
    assert ui.widget("publishes_GL-02")
    walk.check("accounts_public")
    ui.tap("nav_home")
    ui.wait(lambda s: s["flow"]["dialog"] == "cancel_visit", "the question")
    walk.go("dialog_end_visit", "home")

    walk.go("home_community", "community")
    walk.go("community_accounts", "wait_card")
    sims.insert_card(STUDENT)
    ui.wait_screen("identity")
    sims.remove_card()
    ui.wait(lambda s: not s["flow"]["card_on_reader"], "the card taken")
    walk.go("identity_confirm", "accounts")
    assert "2026-11" in ui.widget("accounts_prompt")["text"]
    walk.check("accounts")
    ui.tap("accounts_earlier")
    ui.wait(lambda s: "2026-10" in ui.widget("accounts_prompt")["text"], "the earlier month")
    before = len(sims.jobs())
    ui.tap("accounts_print")
    assert "2026-10" in job_text(sims, new_jobs(sims, before)[0])
    ui.wait(lambda s: ui.widget("accounts_note")["text"].endswith(("请取走。", "Please take it.")), "printed")
    walk.assert_no_problems()


def type_pinyin(ui: KioskUi, field: str, letters: str) -> None:
    """Touch a form line, type pinyin on the keyboard, take the first candidates, OK."""
    ui.tap(field)
    ui.wait(lambda s: s["flow"]["entry"] == "pinyin", "the pinyin keyboard")
    type_on_keypad(ui, letters)
    while ui.widget("entry_ok")["disabled"]:  # still composing: take the first candidate
        ui.tap("key_pick0")
    ui.tap("entry_ok")
    ui.wait(lambda s: s["flow"]["entry"] is None, "the keyboard closed")


def type_number(ui: KioskUi, field: str, digits: str) -> None:
    ui.tap(field)
    ui.wait(lambda s: s["flow"]["entry"] is not None, "the keypad")
    type_on_keypad(ui, digits)
    ui.tap("entry_ok")
    ui.wait(lambda s: s["flow"]["entry"] is None, "the keypad closed")


def test_organisation_screens_listing_filing_and_a_move_up_told_once(walk: Walk) -> None:
    ui, sims, station = walk.ui, walk.sims, walk.station
    numbers = community.register_organisations(station)
    full_id = community.publish(station, title="重阳登高", starts_in=timedelta(days=5), capacity=1, confirmed=1)
    community.waiting_then_moved_up(station, sims, full_id)
    for lang, elderly in (("zh_CN", True), ("en", False), ("zh_CN", False)):  # the community row
        ui.look(lang, elderly)
        ui.screenshot(f"screens/home-community-row-{'elderly' if elderly else 'normal'}-{lang}")

    walk.go("home_community", "community")
    walk.go("community_organisations", "orgs")
    assert all(ui.widget(f"org_{number}") for number in numbers)
    walk.check("orgs", pictures=(("zh_CN", False), ("zh_CN", True)))
    walk.go("orgs_apply", "wait_card")
    walk.go("simulate_card", "identity")
    assert ui.widget("promotion_0")  # told at this identification, whatever the service
    assert any(w["text"].startswith("您已从候补转为正式报名：重阳登高，") for w in ui.widgets())
    walk.check("identity-promoted", pictures=(("zh_CN", False), ("zh_CN", True)))
    walk.go("identity_confirm", "org_kind")
    walk.check("org_kind")
    walk.go("org_kind_culture", "org_form")
    ui.look("zh_CN", False)
    type_pinyin(ui, "org_field_name", "hechangtuan")
    type_number(ui, "org_field_phone", "13800138000")
    type_number(ui, "org_field_members", "15")
    type_pinyin(ui, "org_field_activities", "paixun")
    walk.check("org_form", pictures=(("zh_CN", False), ("zh_CN", True)))
    walk.go("org_form_next", "org_confirm")
    walk.check("org_confirm", pictures=(("zh_CN", False), ("zh_CN", True)))
    before = len(sims.jobs())
    walk.go("org_send", "org_done", timeout=30)
    assert ui.widget("org_number")
    number = next(w["text"] for w in ui.widgets() if w["text"].startswith("ZZ-"))
    assert number.startswith("ZZ-") and number in job_text(sims, new_jobs(sims, before)[0])
    assert community.outbox_of(station, number) == ["organisation.filed"]
    walk.check("org_done", pictures=(("zh_CN", False), ("zh_CN", True)))
    walk.go("org_done", "thanks")
    walk.go("thanks_home", "home")

    walk.go("home_community", "community")
    walk.go("community_organisations", "orgs")
    walk.go("orgs_mine", "wait_card")
    walk.go("simulate_card", "identity")
    assert not [w for w in ui.widgets() if w["id"].startswith("promotion_")]  # told once only
    walk.go("identity_confirm", "org_mine")
    assert ui.widget(f"org_mine_{number}")
    assert any(w["text"].endswith((" · 审核中", " · Under review")) for w in ui.widgets())
    walk.check("org_mine", pictures=(("zh_CN", False), ("zh_CN", True)))
    ui.tap("nav_home")
    ui.wait(lambda s: s["flow"]["dialog"] == "cancel_visit", "the question")
    walk.go("dialog_end_visit", "home")


def test_council_screens_supporting_once_and_raising_a_proposal(walk: Walk) -> None:
    ui, sims, station = walk.ui, walk.sims, walk.station
    every = tuple(COMBOS)  # pictures of each language and mode
    # newest first: on the agenda, the two to support (touched below: on screen), then the decided one
    decided = community.propose(station, title="小区南门增设快递柜", supporters=3, state="decided",
                                decision="同意增设，物业12月底前完成安装，费用由快递公司承担。")
    elsewhere = community.propose(station, title="单元门禁换新", supporters=1)
    near = community.propose(station, title="2号楼下加装休息座椅", supporters=1)
    agenda = community.propose(station, title="3号楼前停车位重新划线", supporters=3, state="agenda")
    other = community.propose(station, title="椰林苑的议题", supporters=1, compound="GL-02")

    walk.go("home_community", "community")
    walk.check("community")
    walk.go("community_council", "wait_card")
    walk.go("simulate_card", "identity")  # 张三 lives in 桂林花园 (GL-01)
    walk.go("identity_confirm", "council")
    shown = {w["id"] for w in ui.widgets()}
    assert {f"proposal_{near}", f"proposal_{decided}", f"proposal_{agenda}"} <= shown
    assert f"proposal_{other}" not in shown
    assert "已列入议事议程" in ui.widget(f"proposal_{agenda}")["text"]  # each state in the picture
    assert "1/3" in ui.widget(f"proposal_{near}")["text"] or "1 of 3" in ui.widget(f"proposal_{near}")["text"]
    walk.check("council", pictures=every)

    walk.go(f"proposal_{near}", "council_proposal")
    walk.check("council_proposal", pictures=every)
    ui.tap("proposal_support")
    ui.wait(lambda s: ui.widget("proposal_support")["disabled"], "the support counted")
    counted = community.council_counts(station, near)
    assert counted["supporters"] == 2 and len(counted["households"]) == 1
    assert counted["events"] == ["proposal.supported"]  # queued for the platform once
    walk.check("council_proposal-supported")
    assert ui.widget("proposal_support")["text"] in ("您家已支持", "Your household supports it")
    before = len(sims.jobs())
    ui.tap("proposal_print")
    assert "2号楼下加装休息座椅" in job_text(sims, new_jobs(sims, before)[0])

    # The household supported the other one elsewhere meanwhile (the platform's change came in):
    # the kiosk still offers it, and the station refuses, in words.
    walk.go("nav_back", "council")
    walk.go(f"proposal_{elsewhere}", "council_proposal")
    community.add_household_support(station, elsewhere, counted["households"][0])
    ui.look("zh_CN", False)
    ui.tap("proposal_support")
    ui.wait(lambda s: "每户一次" in ui.widget("council_proposal_note")["text"], "the refusal")
    ui.wait(lambda s: "2/3" in ui.widget("proposal_lines_0")["text"], "the station's count shown")
    walk.check("council_proposal-refused", pictures=every)
    assert community.council_counts(station, elsewhere)["events"] == []

    walk.go("nav_back", "council")
    walk.go("council_raise", "council_category")
    walk.check("council_category", pictures=every)
    walk.go("council_category_public_facilities", "council_write")
    ui.look("zh_CN", False)
    ui.tap("council_phrase_streetlight")
    ui.tap("council_write_title")
    ui.wait(lambda s: s["flow"]["entry"] == "pinyin", "the pinyin keyboard")
    type_on_keypad(ui, "ludeng")
    while ui.widget("entry_ok")["disabled"]:  # still composing: take the first candidate
        ui.tap("key_pick0")
    ui.tap("entry_ok")
    ui.wait(lambda s: s["flow"]["entry"] is None and "标题" in ui.widget("council_write_note")["text"],
            "the title written")
    title = ui.widget("council_write_note")["text"].split("\n")[0].removeprefix("标题：")
    walk.check("council_write", pictures=every)
    walk.go("council_write_next", "council_photo")
    walk.check("council_photo", pictures=every)
    show_the_camera(sims, "5号楼路口 路灯不亮")
    ui.tap("photo_take")
    ui.wait(lambda s: s["flow"]["busy"] is None and not ui.widget("photo_use")["disabled"], "the photo")
    walk.check("council_photo-preview")
    walk.go("photo_use", "council_confirm")
    assert ui.widget("council_confirm_lines")["text"].endswith(("附照片", "With a photo"))
    assert ui.widget("council_confirm_photo")  # and a small picture of it
    walk.check("council_confirm", pictures=every)
    before = len(sims.jobs())
    walk.go("council_send", "council_done", timeout=30)
    assert title in job_text(sims, new_jobs(sims, before)[0])
    raised = community.proposals_titled(station, title)
    assert len(raised) == 1  # it reached the station, once
    held = community.council_counts(station, raised[0])
    assert held["payload"]["text"] == "路灯不亮" and held["payload"]["compound"] == "GL-01"
    assert held["events"] == ["proposal.raised"] and len(held["households"]) == 1
    assert held["photo"][:3] == b"\xff\xd8\xff" and held["raised"]["photo_jpeg"]  # kept, and sent on
    walk.check("council_done", pictures=every)
    walk.go("council_done", "thanks")
    walk.go("thanks_home", "home")
    walk.assert_no_problems()


def test_the_walks_cover_every_screen() -> None:
    """Each screen of kiosk.screens.SCREENS is checked by one of the walks above (by name)."""
    checked = set(re.findall(r'check\(f?"([a-z_]+)', Path(__file__).read_text(encoding="utf-8")))
    assert {step.value for step in SCREENS} - checked == set()


def put_volunteer(station: Station, resident: int | None) -> None:
    """Put the demo resident (0-based row) in the station's volunteer register, as the platform's
    sync would, or (None) empty the register; the kiosk only ever sees it through the station."""
    from backend.shared.db import make_engine, make_session_factory
    from backend.station.db.models import Resident
    from backend.station.db.volunteer_models import LocalVolunteer
    from support.demo_cards import demo_card

    engine = make_engine(f"sqlite:///{station.data_dir / 'station.db'}")
    try:
        with make_session_factory(engine)() as session, session.begin():
            session.query(LocalVolunteer).delete()
            if resident is not None:
                card = demo_card(resident)
                row = session.query(Resident).filter_by(name=card.name, id_masked=card.id_number.masked).one()
                session.add(LocalVolunteer(id_hash=row.id_hash, updated_at=datetime.now(UTC), entry={
                    "id_hash": row.id_hash, "id_masked": row.id_masked, "name": row.name,
                    "compound": "GL-01", "roles": ["volunteer"], "active": True}))
    finally:
        engine.dispose()


def identify_for_volunteers(walk: Walk) -> None:
    walk.go("home_volunteers", "wait_card")
    walk.go("simulate_card", "identity")
    walk.go("identity_confirm", "volunteer_duty")


def test_volunteer_screens(walk: Walk) -> None:
    """志愿者签到: not in the register (told plainly); a volunteer signs in (slip), sees and prints
    their hours, and signs out (slip with the hours)."""
    ui, sims = walk.ui, walk.sims
    put_volunteer(walk.station, None)
    identify_for_volunteers(walk)
    ui.wait_text("您还不在志愿者名册中")
    walk.check("volunteer_duty-unregistered")
    ui.tap("volunteer_finish")
    ui.wait(lambda s: s["screen"] in ("thanks", "take_card"), "the visit concluded")
    ui.call("POST", "/reset")
    ui.wait_screen("home")

    put_volunteer(walk.station, 0)
    identify_for_volunteers(walk)
    ui.wait(lambda s: any(w["id"] == "duty_patrol" for w in s["widgets"]), "the duty kinds", widgets=True)
    walk.check("volunteer_duty")
    before = len(sims.jobs())
    walk.go("duty_patrol", "volunteer_done", timeout=30)
    assert "巡查" in job_text(sims, new_jobs(sims, before)[0])
    walk.check("volunteer_done")
    walk.go("volunteer_hours", "volunteer_hours")
    walk.check("volunteer_hours")
    ui.tap("hours_print")
    ui.wait(lambda s: any(w["id"] == "volunteer_hours_note" and w["text"] for w in s["widgets"]),
            "take your slip", timeout=30, widgets=True)  # (in the language the walk ended in)
    assert "志愿服务时长记录" in job_text(sims, new_jobs(sims, before, 2)[1])
    ui.tap("volunteer_finish")
    ui.wait(lambda s: s["screen"] in ("thanks", "take_card"), "the visit concluded")
    ui.call("POST", "/reset")
    ui.wait_screen("home")

    identify_for_volunteers(walk)  # on duty now: one button signs out
    walk.go("duty_sign_out", "volunteer_done", timeout=30)
    assert "巡查" in job_text(sims, new_jobs(sims, before, 3)[2])
    walk.assert_no_problems()


def title_or_banner(ui: KioskUi) -> str:
    """What holds the technician's way in: the title, or in emergency mode the banner in its place."""
    return "emergency_banner" if any(w["id"] == "emergency_banner" for w in ui.widgets()) else "top_title"


def put_emergency(station: Station, active: bool) -> None:
    """Switch the station's emergency mode as the platform's published area would (or end it)."""
    from backend.shared.db import make_engine, make_session_factory
    from backend.station.db.volunteer_models import PublishedDoc

    engine = make_engine(f"sqlite:///{station.data_dir / 'station.db'}")
    try:
        with make_session_factory(engine)() as session, session.begin():
            session.query(PublishedDoc).filter_by(kind="emergency").delete()
            if active:
                session.add(PublishedDoc(kind="emergency", key="ui-walk", updated_at=datetime.now(UTC), payload={
                    "id": "ui-walk", "active": True, "scope": "community",
                    "area_name": {"zh": "桂林社区", "en": "Guilin Community"},
                    "message": {"zh": "桂林社区进入应急状态", "en": "Guilin Community is in emergency mode"},
                    "notices": [{"title": {"zh": "物资配送", "en": "Supplies"},
                                 "body": {"zh": "每天上午9点送到楼下", "en": "Delivered at 9 each morning"}},
                                {"title": {"zh": "发放点", "en": "Where to collect"},
                                 "body": {"zh": "东门", "en": "East gate"}, IMAGE_KEY: notice_picture()}],
                    "hotline": "0898-66668888", "started_at": datetime.now(UTC).isoformat()}))
    finally:
        engine.dispose()


def notice_picture() -> str:
    """A notice's picture as the platform sends it (checked, a JPEG, base64)."""
    from backend.platform.services.volunteers.notice_image import clean
    from support.notice_picture import map_png

    return base64.b64encode(clean(map_png())).decode("ascii")


def emergency_entry(ui: KioskUi, shown: bool) -> None:
    ui.advance(31)  # home refreshes the station's description (and emergency mode) by itself
    ui.wait(lambda s: any(w["id"] == "emergency_banner" and not w["disabled"] for w in s["widgets"]) == shown,
            f"the emergency entry {'shown' if shown else 'gone'}", widgets=True)


def register_a_need(walk: Walk) -> None:
    """物资需求登记 with real taps: kind, urgency, phone on the keypad, a phrase, send; the need is
    in the station's database (phone sealed, only masked in the clear) and its number on the slip."""
    from backend.shared.db import make_engine, make_session_factory
    from backend.station.db.volunteer_models import LocalNeed

    ui, sims = walk.ui, walk.sims
    walk.go("emergency_banner", "emergency")
    walk.go("emergency_need", "wait_card")
    walk.go("simulate_card", "identity")
    walk.go("identity_confirm", "need_kind")
    walk.check("need_kind")
    walk.go("need_kind_medicine", "need_urgency")
    walk.check("need_urgency")
    walk.go("need_urgency_urgent", "need_contact")
    ui.tap("need_phone")
    ui.wait(lambda s: s["flow"]["entry"] == "phone", "the phone keypad")
    type_on_keypad(ui, "13800138000")
    ui.tap("entry_ok")
    ui.wait(lambda s: s["flow"]["need"]["has_phone"], "the phone number")
    ui.tap("need_phrase_cannot_walk")
    ui.wait(lambda s: s["flow"]["need"]["phrases"] == ["cannot_walk"], "the phrase chosen")
    walk.check("need_contact")
    before = len(sims.jobs())
    state = walk.go("need_send", "need_done", timeout=30)
    need_no = state["flow"]["need"]["need_no"]
    assert need_no and need_no in job_text(sims, new_jobs(sims, before)[0])
    ui.wait(lambda s: any(need_no in w["text"] for w in s["widgets"]), "the need number shown", widgets=True)
    walk.check("need_done")
    engine = make_engine(f"sqlite:///{walk.station.data_dir / 'station.db'}")
    try:
        with make_session_factory(engine)() as session:
            need = session.query(LocalNeed).filter_by(need_no=need_no).one()
            assert (need.kind, need.urgency, need.phone_masked) == ("medicine", "urgent", "138****8000")
            assert "13800138000" not in str(need.phone_sealed)
    finally:
        engine.dispose()
    ui.tap("emergency_finish")
    ui.wait(lambda s: s["screen"] in ("thanks", "take_card"), "the visit concluded")
    ui.call("POST", "/reset")
    ui.wait_screen("home")


def test_emergency_screens(walk: Walk) -> None:
    """战时: the banner on home, the emergency home (notices, 紧急求助 shows and prints the hotline),
    a volunteer's check-in to a task group; the banner goes when emergency mode ends."""
    ui, sims = walk.ui, walk.sims
    put_volunteer(walk.station, 0)
    put_emergency(walk.station, True)
    try:
        emergency_entry(ui, True)
        walk.check("home-emergency")
        ui.look("zh_CN", False)
        walk.go("emergency_banner", "emergency")
        ui.wait_text("物资配送: 每天上午9点送到楼下")
        ui.wait(lambda s: any(w["id"] == "emergency_notice_image_1" and w["image"]["texture"] == [1024, 683]
                              for w in s["widgets"]), "the notice's picture shown", widgets=True)
        before = len(sims.jobs())
        ui.tap("emergency_hotline")
        ui.wait(lambda s: any(w["id"] == "emergency_note" and "0898-66668888" in w["text"]
                              for w in s["widgets"]), "the hotline shown", widgets=True)
        assert "0898-66668888" in job_text(sims, new_jobs(sims, before)[0])
        walk.check("emergency")
        walk.go("emergency_checkin", "wait_card")
        walk.go("simulate_card", "identity")
        walk.go("identity_confirm", "emergency_checkin")
        walk.check("emergency_checkin")
        ui.tap("group_medical")
        ui.wait(lambda s: any(w["id"] == "emergency_checkin_prompt" and ("医疗" in w["text"] or "Medical" in w["text"])
                              for w in s["widgets"]), "checked in", widgets=True)
        walk.check("emergency_checkin-done")
        ui.tap("emergency_finish")
        ui.wait(lambda s: s["screen"] in ("thanks", "take_card"), "the visit concluded")
        ui.call("POST", "/reset")
        ui.wait_screen("home")
        walk.go("emergency_banner", "emergency")
        walk.go("emergency_mine", "wait_card")
        walk.go("simulate_card", "identity")
        walk.go("identity_confirm", "emergency_needs")
        walk.check("emergency_needs")
        ui.tap("emergency_finish")
        ui.wait(lambda s: s["screen"] in ("thanks", "take_card"), "the visit concluded")
        ui.call("POST", "/reset")
        ui.wait_screen("home")
        register_a_need(walk)
    finally:
        put_emergency(walk.station, False)
        put_volunteer(walk.station, None)
    emergency_entry(ui, False)
    walk.assert_no_problems()


GROUP_QR = "https://weixin.qq.com/g/ui-walk-neighbours"


def put_neighbour_group(station: Station, qr_text: str | None) -> None:
    """Publish (or withdraw) the 邻里一家亲 group of the demo resident's building, as the platform's
    neighbour-group change would; the kiosk sees it only through the station."""
    from backend.shared.db import make_engine, make_session_factory
    from backend.station.db.models import Resident
    from backend.station.db.volunteer_models import PublishedDoc
    from support.demo_cards import demo_card

    engine = make_engine(f"sqlite:///{station.data_dir / 'station.db'}")
    try:
        with make_session_factory(engine)() as session, session.begin():
            card = demo_card(0)  # the simulated card's resident
            building = session.query(Resident).filter_by(name=card.name, id_masked=card.id_number.masked).one().building
            session.query(PublishedDoc).filter_by(kind="group").delete()
            if qr_text is not None:
                session.add(PublishedDoc(kind="group", key=f"building:{building}", updated_at=datetime.now(UTC),
                                         payload={"building": building, "name": f"{building}栋邻里一家亲",
                                                  "qr_text": qr_text, "active": True}))
    finally:
        engine.dispose()


def banner(ui: KioskUi, shown: bool) -> dict[str, Any]:
    """The emergency banner, once it is shown (or gone) after one poll of emergency mode."""
    ui.advance(31)  # every screen asks for emergency mode every 30 s
    state = ui.wait(lambda s: any(w["id"] == "emergency_banner" and w["on_screen"] and not w["disabled"]
                                  for w in s["widgets"]) == shown,
                    f"the emergency banner {'shown' if shown else 'gone'}", widgets=True)
    return state


def test_emergency_banner_on_every_screen_and_notices_read_aloud(walk: Walk) -> None:
    """战时 on a screen other than home: the red banner comes within one poll, in the top bar's
    title place (the screen keeps its room), goes when emergency mode ends; touched, it opens the emergency home,
    whose message and notices are read aloud (朗读 reads one again)."""
    ui = walk.ui
    ui.look("zh_CN", False)
    walk.go("tile_notices", "notices")
    banner(ui, False)
    put_emergency(walk.station, True)
    try:
        state = banner(ui, True)
        shown = ui.widget("emergency_banner", among=state["widgets"])
        bar = ui.widget("top", among=state["widgets"])  # in the title's place: the screen keeps its room
        assert "桂林社区进入应急状态" in shown["text"] and shown["rect"]["y"] >= bar["rect"]["y"]
        assert shown["rect"]["y"] + shown["rect"]["h"] <= bar["rect"]["y"] + bar["rect"]["h"]
        walk.check("notices-emergency", pictures=(("zh_CN", False), ("en", True)))
        ui.look("zh_CN", False)
        put_emergency(walk.station, False)
        banner(ui, False)  # ended: gone within one poll, on the same screen
        assert ui.state()["screen"] == "notices"
        put_emergency(walk.station, True)
        banner(ui, True)
        walk.go("emergency_banner", "emergency")
        said = ui.wait(lambda s: "物资配送" in str(s["voice"].get("said", "")), "the notices read aloud")["voice"]
        assert "桂林社区进入应急状态" in said["said"]
        assert not any(w["id"] == "emergency_banner" and w["on_screen"] and not w["disabled"]
                       for w in ui.widgets())  # (the emergency home says it in full)
        ui.tap("emergency_read_0")
        ui.wait(lambda s: s["voice"].get("said") == "物资配送: 每天上午9点送到楼下", "the notice read again")
        walk.check("emergency-banner")
        ui.tap("nav_home")
        ui.wait_screen("home")
        hold(ui, "emergency_banner", lambda s: s["flow"]["entry"] == "pin", "the PIN keypad")  # as the title
        ui.tap("entry_cancel")
        ui.wait(lambda s: s["flow"]["entry"] is None and s["screen"] == "home", "back on home")
    finally:
        put_emergency(walk.station, False)
    banner(ui, False)
    walk.assert_no_problems()


def test_neighbour_group_qr(walk: Walk) -> None:
    """邻里群 on home: the resident identifies and sees their building's group, its QR large enough
    to scan (decoded from the screen's picture); a building without one is told so."""
    from PIL import Image
    from pyzbar.pyzbar import decode

    ui = walk.ui
    ui.look("zh_CN", False)
    put_neighbour_group(walk.station, GROUP_QR)
    try:
        walk.go("home_community", "community")
        walk.go("community_neighbours", "wait_card")
        walk.go("simulate_card", "identity")
        walk.go("identity_confirm", "neighbour_group")
        ui.wait(lambda s: any(w["id"] == "neighbour_group_name" and w["text"].endswith("栋邻里一家亲")
                              for w in s["widgets"]), "the group's name", widgets=True)
        walk.check("neighbour_group")
        ui.look("zh_CN", False)
        state = ui.state(widgets=True)
        qr = ui.widget("neighbour_group_qr", among=state["widgets"])
        assert min(qr["rect"]["w"], qr["rect"]["h"]) >= 300  # about 5 cm on the panel: a phone reads it
        picture = ui.screenshot("screens/neighbour_group-scanned")
        assert [d.data.decode() for d in decode(Image.open(picture))] == [GROUP_QR]
        ui.tap("neighbour_group_finish")
        ui.wait(lambda s: s["screen"] in ("thanks", "take_card"), "the visit concluded")
        ui.call("POST", "/reset")
        ui.wait_screen("home")
        put_neighbour_group(walk.station, None)
        walk.go("home_community", "community")
        walk.go("community_neighbours", "wait_card")
        walk.go("simulate_card", "identity")
        walk.go("identity_confirm", "neighbour_group")
        ui.wait_text("您所在的楼栋还没有邻里群")
        assert decode(Image.open(ui.screenshot("screens/neighbour_group-none-normal-zh_CN"))) == []  # no code
        ui.check_screen_is_usable()
        ui.tap("neighbour_group_finish")
        ui.wait(lambda s: s["screen"] in ("thanks", "take_card"), "the visit concluded")
        ui.call("POST", "/reset")
        ui.wait_screen("home")
    finally:
        put_neighbour_group(walk.station, None)
    walk.assert_no_problems()
