"""Start-up: the kiosk comes up with an ID card still on the reader (left there before a power
cut or a restart) and asks for it to be taken before anyone else can use it. The shared kiosk of
the UI session is started that way (``conftest.kiosk_app``), so this reads what it saw first."""

from __future__ import annotations

import pytest

from .conftest import KioskUi

pytestmark = pytest.mark.ui


def test_the_kiosk_starts_by_asking_for_a_card_left_on_the_reader(kiosk_app: KioskUi) -> None:
    startup = kiosk_app.startup
    assert startup["screen"] == "take_card", startup
    assert "请从读卡器上取走您的身份证。" in startup["texts"]
    assert startup["problems"] == []

