"""The kiosk clears a resident's visit after inactivity (the clock advanced through the hook),
tells the resident when the printer fails and prints on a retry, and switches language live."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from support.stack import Simulators, Station

pytestmark = pytest.mark.ui


def station_service(station: Station) -> str:
    services = httpx.get(station.url + "/api/station", timeout=5).json()["services"]
    return str(next(s["state"] for s in services if s["code"] == "certificates"))


def to_choose_type(ui: Any, station: Station) -> None:
    ui.wake()
    ui.wait(lambda s: s["screen"] == "home" and station_service(station) == "AVAILABLE",
            "the certificate service", timeout=20)
    ui.wait(lambda s: not ui.widget("tile_certificates")["disabled"], "the certificates tile")
    ui.tap("tile_certificates")
    ui.wait_screen("wait_card")
    ui.tap("simulate_card")
    ui.wait_screen("identity")
    ui.tap("identity_confirm")
    ui.wait_screen("choose_type")


def texts_everywhere(ui: Any) -> str:
    return " ".join(w["text"] for w in ui.call("GET", "/widgets?all=1"))


def test_idle_timeout_mid_journey_clears_the_session_and_goes_home(kiosk_ui: Any,
                                                                   running_station: Station) -> None:
    ui = kiosk_ui
    to_choose_type(ui, running_station)
    assert station_service(running_station) == "ACTIVE"
    assert "张三" in texts_everywhere(ui)
    remaining = ui.state()["flow"]["idle_remaining"]
    state = ui.advance(remaining - 10)
    assert state["screen"] == "choose_type"
    warning = ui.widget("idle_warning")
    assert "10" in warning["text"]
    ui.check_screen_is_usable()
    ui.screenshot("09-idle-warning")

    ui.advance(10.5)
    state = ui.wait_screen("home")
    assert state["flow"]["has_session"] is False and state["flow"]["identified"] is False
    ui.wait(lambda s: station_service(running_station) == "AVAILABLE", "the station to end the session")
    everything = texts_everywhere(ui)
    assert "张三" not in everything and "991X" not in everything  # no screen keeps the details


def test_a_print_failure_is_explained_and_a_retry_prints(kiosk_ui: Any, running_station: Station,
                                                        sims: Simulators) -> None:
    ui = kiosk_ui
    to_choose_type(ui, running_station)
    ui.tap("type_JZZM")
    ui.wait_screen("choose_purpose")
    ui.tap("purpose_residence_permit")
    ui.wait_screen("confirm")
    sims.fault("printer", "paper_out")
    ui.tap("confirm_print")
    state = ui.wait_screen("error", timeout=30)
    assert state["flow"]["problem"] == "printer.media_empty"
    texts = [w["text"] for w in ui.widgets()]
    assert any("打印机缺纸" in t for t in texts)
    assert "重试" in texts and "回到首页" in texts
    ui.check_screen_is_usable()
    ui.screenshot("10-error-printer")

    sims.clear("printer")
    ui.tap("action_retry")
    state = ui.wait_screen("done", timeout=30)
    assert state["flow"]["certificate_state"] == "printed"
    jobs = [j for j in sims.jobs() if j["status"] == "complete"]
    assert len(jobs) == 1  # printed once, under the serial issued before the failure
    receipt = Path(sims.endpoints["jobs_dir"]) / f"{jobs[0]['id']:04d}.txt"
    assert state["flow"]["serial"] in receipt.read_text(encoding="utf-8")


def test_language_switch_rerenders_the_visible_text(kiosk_ui: Any, running_station: Station) -> None:
    ui = kiosk_ui
    to_choose_type(ui, running_station)
    ui.tap("lang_en")
    ui.wait(lambda s: s["lang"] == "en", "English")
    texts = [w["text"] for w in ui.widgets()]
    assert "Which certificate do you need?" in texts and "Proof of residence" in texts
    assert "‹ Back" in texts
    ui.check_screen_is_usable()
    ui.screenshot("11-choose-type-english")
    ui.tap("type_JZZM")
    ui.wait_screen("choose_purpose")
    assert "School enrolment" in [w["text"] for w in ui.widgets()]
    ui.tap("lang_zh_CN")
    ui.wait(lambda s: s["lang"] == "zh_CN", "Chinese")
    assert "子女入学" in [w["text"] for w in ui.widgets()]


def test_home_says_plainly_when_certificates_are_paused(kiosk_ui: Any, running_station: Station,
                                                       sims: Simulators) -> None:
    ui = kiosk_ui
    ui.wake()
    ui.wait(lambda s: station_service(running_station) == "AVAILABLE", "the certificate service",
            timeout=20)
    sims.fault("printer", "paper_out")
    ui.wait(lambda s: "打印机缺纸，暂停服务" in [w["text"] for w in ui.widgets()], "the paused tile")
    ui.check_screen_is_usable()
    ui.screenshot("12-home-paused")
    ui.tap("tile_certificates")
    state = ui.wait(lambda s: s["flow"]["dialog"] == "unavailable", "the explanation")
    assert state["flow"]["has_session"] is False  # nothing started
    texts = [w["text"] for w in ui.widgets()]
    assert "打印机缺纸，暂停服务" in texts and any("12345" in t for t in texts)
    assert any(t.startswith("本机仍可办理") and "核验证明" in t for t in texts)
    ui.check_screen_is_usable()
    ui.screenshot("13-home-paused-explained")
    ui.tap("dialog_close")
    ui.wait(lambda s: s["flow"]["dialog"] is None, "the dialog to close")
    sims.clear("printer")
    ui.wait(lambda s: "刷身份证，当场打印证明" in [w["text"] for w in ui.widgets()], "the tile back")
