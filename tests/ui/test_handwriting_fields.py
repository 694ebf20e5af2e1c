"""The handwriting pad in every free-text field the kiosk asks for today, written through the real
touch path (xdotool strokes on the pad, real taps): a request's own words (我要反映, normal mode:
the pad by its key) and a certificate's text field (the school's name, elderly mode: Chinese entry
opens on the pad)."""

from __future__ import annotations

import pytest

from support.stack import Simulators

from .conftest import KioskUi
from .test_every_screen import STUDENT
from .test_handwriting import TEN, draw, entry_text, pick

pytestmark = pytest.mark.ui


def write_ten_and_keep_it(ui: KioskUi) -> None:
    ui.wait(lambda s: any(w["id"] == "entry_pad" and w["on_screen"] for w in s["widgets"]), "the pad",
            widgets=True)
    draw(ui, TEN)
    pick(ui, "十")
    assert entry_text(ui).startswith("十")
    ui.tap("entry_ok")
    ui.wait(lambda s: s["flow"]["entry"] is None, "the words kept")


def test_a_request_described_in_handwriting(kiosk_ui: KioskUi) -> None:
    ui = kiosk_ui
    ui.go("tile_requests", "request_category")
    ui.go("category_property_repairs", "wait_card")
    ui.go("simulate_card", "identity")
    ui.go("identity_confirm", "request_place")
    ui.go("building_9", "request_spot")
    ui.go("spot_2", "request_describe")
    ui.tap("describe_write")
    ui.wait(lambda s: s["flow"]["entry"] == "pinyin", "the Chinese keyboard")
    ui.tap("key_mode")  # normal mode: the pad by its key
    write_ten_and_keep_it(ui)
    state = ui.wait(lambda s: s["flow"]["request"]["has_text"], "the request's words")
    assert state["screen"] == "request_describe"
    assert any("十" in w["text"] for w in ui.widgets())  # shown back to the resident


def test_a_certificate_field_written_by_hand_in_elderly_mode(kiosk_ui: KioskUi, sims: Simulators) -> None:
    ui = kiosk_ui
    ui.go("tile_certificates", "wait_card")
    sims.insert_card(STUDENT)
    ui.wait_screen("identity")
    sims.remove_card()
    ui.wait(lambda s: not s["flow"]["card_on_reader"], "the card taken")
    ui.go("identity_confirm", "choose_type")
    ui.go("type_PKXS", "choose_purpose")
    ui.go("purpose_grant", "cert_fields")
    ui.look("zh_CN", True)
    try:
        ui.tap("field_school")
        ui.wait(lambda s: s["flow"]["entry"] == "pinyin", "Chinese entry")  # on the pad, unasked
        write_ten_and_keep_it(ui)
        ui.wait(lambda s: s["flow"]["fields"] == ["school"], "the school entered")
        assert any("十" in w["text"] for w in ui.widgets())
    finally:
        ui.look("zh_CN", False)
