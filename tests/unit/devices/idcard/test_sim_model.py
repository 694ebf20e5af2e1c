"""The simulated reader module's answers, frame by frame, without a line in between."""

from __future__ import annotations

import random
from datetime import date

import pytest

from devices.idcard.card import IdCard
from devices.idcard.idnumber import validate_id_number
from devices.idcard.protocol import (
    FIND_CARD,
    READ_BASIC,
    SELECT_CARD,
    BasicInfo,
    FrameError,
    FrameReader,
    Reply,
    Request,
    Sw3,
    TextBlock,
)
from devices.sim.faults import UnknownFaultError
from devices.sim.idcard import ReaderModel
from support.demo_cards import demo_card

TODAY = date(2026, 11, 26)


@pytest.fixture
def model() -> ReaderModel:
    return ReaderModel(clock=lambda: TODAY, rng=random.Random(7))


def ask(model: ReaderModel, command: tuple[int, int]) -> Reply:
    raw = model.respond(Request.for_command(command).encode()[7:-1])
    assert raw is not None
    frames = FrameReader()
    frames.feed(raw)
    payload = frames.next_frame()
    assert payload is not None and frames.pending == 0
    return Reply.decode(payload)


def read_text(model: ReaderModel) -> tuple[TextBlock, bytes]:
    assert ask(model, FIND_CARD).sw3 == Sw3.CARD_FOUND
    assert ask(model, SELECT_CARD).sw3 == Sw3.OK
    reply = ask(model, READ_BASIC)
    assert reply.sw3 == Sw3.OK
    info = BasicInfo.decode(reply.data)
    return TextBlock.decode(info.text), info.photo


def test_no_card(model: ReaderModel) -> None:
    assert ask(model, FIND_CARD) == Reply(Sw3.NO_CARD)
    assert ask(model, SELECT_CARD) == Reply(Sw3.SELECT_FAILED)
    assert ask(model, READ_BASIC) == Reply(Sw3.READ_FAILED)


def test_find_select_read_gives_the_card(model: ReaderModel) -> None:
    card = demo_card("张三", today=TODAY)
    model.insert_card(card)
    block, photo = read_text(model)
    assert IdCard.from_text_block(block, photo) == card
    assert photo == card.photo and len(photo) == 1024
    assert model.counters["reads"] == 1


def test_read_needs_a_select_first(model: ReaderModel) -> None:
    model.insert_card(demo_card(0, today=TODAY))
    assert ask(model, FIND_CARD).sw3 == Sw3.CARD_FOUND
    assert ask(model, READ_BASIC) == Reply(Sw3.READ_FAILED)


def test_removing_the_card(model: ReaderModel) -> None:
    model.insert_card(demo_card(0, today=TODAY))
    model.remove_card()
    assert not model.card_present
    assert ask(model, FIND_CARD) == Reply(Sw3.NO_CARD)


def test_bad_requests_get_status_words(model: ReaderModel) -> None:
    assert _decode(model.respond(None)) == Reply(Sw3.REQUEST_CHECKSUM)
    assert _decode(model.respond(b"\x20")) == Reply(Sw3.REQUEST_LENGTH)
    assert _decode(model.respond(b"\x40\x01")) == Reply(Sw3.BAD_COMMAND)


def _decode(raw: bytes | None) -> Reply:
    assert raw is not None
    return Reply.decode(raw[7:-1])


@pytest.mark.parametrize(("at", "find", "select", "read"), [
    ("read", Sw3.CARD_FOUND, Sw3.OK, Sw3.READ_FAILED),
    ("select", Sw3.CARD_FOUND, Sw3.SELECT_FAILED, Sw3.READ_FAILED),
])
def test_card_removed_fault(model: ReaderModel, at: str, find: int, select: int,
                            read: int) -> None:
    model.insert_card(demo_card(0, today=TODAY))
    model.faults.add("card_removed", at=at)
    assert [ask(model, c).sw3 for c in (FIND_CARD, SELECT_CARD, READ_BASIC)] == [
        find, select, read]


def test_checksum_error_fault_flips_the_checksum_only(model: ReaderModel) -> None:
    model.faults.add("checksum_error")
    raw = model.respond(Request.for_command(FIND_CARD).encode()[7:-1])
    assert raw is not None
    assert raw[:-1] == Reply(Sw3.NO_CARD).encode()[:-1]
    frames = FrameReader()
    frames.feed(raw)
    with pytest.raises(FrameError):
        frames.next_frame()


def test_garbage_fault_sends_bytes_that_hold_no_frame(model: ReaderModel) -> None:
    model.faults.add("garbage", length=500)
    raw = model.respond(b"\x20\x01")
    assert raw is not None and len(raw) == 500
    frames = FrameReader()
    frames.feed(raw)
    assert frames.next_frame() is None
    assert 0xAA not in raw


def test_garbage_prefix_is_followed_by_a_good_frame(model: ReaderModel) -> None:
    model.faults.add("garbage", prefix=True, length=20)
    raw = model.respond(b"\x20\x01")
    assert raw is not None and raw[20:] == Reply(Sw3.NO_CARD).encode()


def test_silence_fault_answers_nothing(model: ReaderModel) -> None:
    model.faults.add("silence")
    assert model.respond(b"\x20\x01") is None


def test_expired_card_fault_moves_validity_into_the_past(model: ReaderModel) -> None:
    model.insert_card(demo_card("王五", today=TODAY))
    model.faults.add("expired_card", days_ago=10)
    block, _ = read_text(model)
    card = IdCard.from_text_block(block)
    assert card.valid_until == date(2026, 11, 16)
    assert card.is_expired(TODAY)
    assert model.card is not None and not model.card.is_expired(TODAY)  # the card itself is kept


def test_invalid_number_fault_breaks_only_the_check_digit(model: ReaderModel) -> None:
    model.insert_card(demo_card("吴十", today=TODAY))
    model.faults.add("invalid_number")
    block, _ = read_text(model)
    check = validate_id_number(block.id_number, today=TODAY)
    assert check.problems == ("check_digit",)
    assert block.id_number[:17] == "46010719990101238"


def test_count_limits_a_fault_to_the_next_replies(model: ReaderModel) -> None:
    model.faults.add("silence", count=2)
    assert model.respond(b"\x20\x01") is None
    assert model.respond(b"\x20\x01") is None
    assert model.respond(b"\x20\x01") is not None
    assert "silence" not in model.faults


def test_unknown_fault_is_refused(model: ReaderModel) -> None:
    with pytest.raises(UnknownFaultError):
        model.faults.add("paper_out")


def test_describe_masks_the_card(model: ReaderModel) -> None:
    model.insert_card(demo_card("张三", today=TODAY))
    model.faults.add("garbage", length=8)
    described = model.describe()
    assert described["card"]["id_number"] == "4601*************2"
    assert "460107195803179912" not in repr(described)
    assert described["faults"] == {"garbage": {"length": 8}}
