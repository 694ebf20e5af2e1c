"""An ID card left on the reader never identifies the next resident: a visit that starts with a
card lying there longer than ``card_fresh_seconds`` (here 1 s) waits for a card placed anew,
while a card placed moments before the visit (it woke the kiosk) still identifies it. Real
station and simulators on loopback."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from support.stack import Simulators, Station, poll, simulators, station

FRESH_SECONDS = 1.0
LEFT = "card present, left before this visit"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Station, Simulators]]:
    folder = tmp_path_factory.mktemp("card-left") / "data"
    with simulators(folder) as sims, station(folder, env={"KIOSK_CARD_FRESH_SECONDS": str(FRESH_SECONDS)}) as running:
        yield running, sims


def _identity(http: httpx.Client, session: str) -> dict[str, Any] | None:
    identity: dict[str, Any] | None = http.get(f"/api/sessions/{session}").json()["identity"]
    return identity


def _reader_detail(http: httpx.Client) -> str:
    return str(http.get("/api/components/idcard").json()["status"]["detail"])


def _visit_after_a_left_card(http: httpx.Client, sims: Simulators) -> str:
    """张三 leaves his card on the reader; a while later the next visit starts. Return it."""
    poll(lambda: not http.get("/api/station").json()["card_present"], "an empty reader")
    sims.insert_card("1")
    poll(lambda: http.get("/api/station").json()["card_present"], "the station to see the card")
    time.sleep(FRESH_SECONDS + 0.5)
    session: str = http.post("/api/sessions", json={"service": "certificates"}).json()["id"]
    poll(lambda: _reader_detail(http) == LEFT, "the reader to say the card was left")
    return session


def test_a_card_placed_just_before_the_visit_identifies_it(stack: tuple[Station, Simulators]) -> None:
    running, sims = stack
    with running.client() as http:
        sims.insert_card("1")  # placed on the idle kiosk: it wakes, the resident picks a service
        poll(lambda: http.get("/api/station").json()["card_present"], "the station to see the card")
        session = http.post("/api/sessions", json={"service": "certificates"}).json()["id"]
        assert poll(lambda: _identity(http, session), "the card to identify the visit")["name"] == "张三"
        http.delete(f"/api/sessions/{session}")
    sims.remove_card()


def test_a_card_left_on_the_reader_waits_to_be_placed_again(stack: tuple[Station, Simulators]) -> None:
    running, sims = stack
    with running.client() as http:
        session = _visit_after_a_left_card(http, sims)
        time.sleep(1.0)  # several polls of the reader: the left card is not read for this visit
        assert _identity(http, session) is None
        assert http.get("/api/station").json()["card_present"] is True
        sims.remove_card()  # the next resident takes it off and places their own
        poll(lambda: _reader_detail(http) == "no card", "the reader to see the card go")
        sims.insert_card("2")
        identity = poll(lambda: _identity(http, session), "the new card to identify the visit")
        assert identity["name"] != "张三"
        http.delete(f"/api/sessions/{session}")
    sims.remove_card()


def test_the_simulate_card_button_takes_a_left_card_off_first(stack: tuple[Station, Simulators]) -> None:
    running, sims = stack
    with running.client() as http:
        session = _visit_after_a_left_card(http, sims)
        placed = http.post("/api/sim/idcard/card", json={"resident": "2"})  # the kiosk's demo button
        assert placed.status_code == 200, placed.text
        identity = poll(lambda: _identity(http, session), "the placed card to identify the visit")
        assert identity["name"] != "张三"
        http.delete(f"/api/sessions/{session}")
    sims.remove_card()
