"""What the station needs from a resident ID card reader."""

from __future__ import annotations

import time

from devices.idcard.reader import IdCardReader
from devices.model import ComponentKind
from support.demo_cards import demo_card

from .conftest import Target


def test_it_answers_a_probe(idcard_target: Target) -> None:
    with IdCardReader(idcard_target.url, simulated=not idcard_target.on_hardware) as reader:
        assert reader.info().kind is ComponentKind.ID_CARD_READER
        assert reader.status().usable


def test_it_reads_a_card_with_a_valid_number(idcard_target: Target) -> None:
    if idcard_target.simulator is not None:
        idcard_target.simulator.insert_card(demo_card(0))
    else:
        print("\nplace a resident ID card on the reader…")
    with IdCardReader(idcard_target.url) as reader:
        deadline = time.monotonic() + idcard_target.wait
        card = reader.read_card()
        while card is None and time.monotonic() < deadline:
            time.sleep(0.3)
            card = reader.read_card()
    assert card is not None, "no card was read"
    assert card.id_number.check().valid and card.name
    assert "*" in repr(card)  # never the full number in a log line
