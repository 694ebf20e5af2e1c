"""GA 467 frames: golden bytes, checksum, the text block, resynchronisation, split reads."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devices.idcard.codes import ETHNICITIES, Sex, ethnicity_label, sex_from_label
from devices.idcard.protocol import (
    FIND_CARD,
    LONG_TERM,
    READ_BASIC,
    SELECT_CARD,
    TEXT_BLOCK_SIZE,
    BasicInfo,
    FrameError,
    FrameReader,
    Reply,
    Request,
    Sw3,
    TextBlock,
    checksum,
    frame,
    wire_seconds,
)

H = bytes.fromhex


@pytest.mark.parametrize(("command", "golden"), [
    (FIND_CARD, "AA AA AA 96 69 00 03 20 01 22"),
    (SELECT_CARD, "AA AA AA 96 69 00 03 20 02 21"),
    (READ_BASIC, "AA AA AA 96 69 00 03 30 01 32"),
])
def test_request_frames_are_golden(command: tuple[int, int], golden: str) -> None:
    encoded = Request.for_command(command).encode()
    assert encoded == H(golden)


@pytest.mark.parametrize(("reply", "golden"), [
    (Reply(Sw3.CARD_FOUND), "AA AA AA 96 69 00 04 00 00 9F 9B"),
    (Reply(Sw3.NO_CARD), "AA AA AA 96 69 00 04 00 00 80 84"),
    (Reply(Sw3.OK), "AA AA AA 96 69 00 04 00 00 90 94"),
    (Reply(Sw3.SELECT_FAILED), "AA AA AA 96 69 00 04 00 00 81 85"),
])
def test_reply_frames_are_golden(reply: Reply, golden: str) -> None:
    assert reply.encode() == H(golden)
    assert Reply.decode(_payload(H(golden))) == reply


def _payload(encoded: bytes) -> bytes:
    reader = FrameReader()
    reader.feed(encoded)
    payload = reader.next_frame()
    assert payload is not None
    return payload


def test_checksum_xors_length_command_and_data() -> None:
    assert checksum(H("00 03 20 01")) == 0x22
    assert checksum(b"") == 0
    expected = 0x00 ^ 0x05 ^ 0x12 ^ 0x34 ^ 0x56 ^ 0x78
    assert frame(H("12 34 56 78")) == H("AA AA AA 96 69 00 05 12 34 56 78") + bytes([expected])


def test_read_basic_reply_has_the_standard_lengths() -> None:
    info = BasicInfo(text=bytes(TEXT_BLOCK_SIZE), photo=bytes(1024))
    encoded = Reply(Sw3.OK, info.encode()).encode()
    # 0x0508 = 3 status words + 4 length bytes + 256 + 1024 + checksum
    assert encoded[:14] == H("AA AA AA 96 69 05 08 00 00 90 01 00 04 00")
    assert len(encoded) == 1295
    assert BasicInfo.decode(Reply.decode(_payload(encoded)).data) == info


def test_request_decodes_from_its_payload() -> None:
    request = Request.decode(_payload(H("AA AA AA 96 69 00 05 30 01 AB CD 52")))
    assert (request.key, request.data, request.name) == (READ_BASIC, H("AB CD"), "read_basic")
    with pytest.raises(FrameError):
        Request.decode(b"\x20")


def test_a_reply_needs_three_status_words() -> None:
    with pytest.raises(FrameError) as info:
        Reply.decode(H("00 00"))
    assert info.value.reason == "length"


def test_reader_skips_garbage_before_a_preamble() -> None:
    reader = FrameReader()
    reader.feed(H("00 FF 96 69 AA AA 13") + Reply(Sw3.NO_CARD).encode())
    assert reader.next_frame() == H("00 00 80")
    assert reader.discarded == 7
    assert reader.next_frame() is None


def test_reader_assembles_a_frame_fed_byte_by_byte() -> None:
    encoded = Reply(Sw3.OK, BasicInfo(bytes(256), bytes(1024)).encode()).encode()
    reader = FrameReader()
    payloads = []
    for i in range(len(encoded)):
        reader.feed(encoded[i:i + 1])
        payload = reader.next_frame()
        if payload is not None:
            payloads.append((i, payload))
    assert [i for i, _ in payloads] == [len(encoded) - 1]
    assert reader.discarded == 0


def test_reader_keeps_a_preamble_split_after_garbage() -> None:
    encoded = Reply(Sw3.CARD_FOUND).encode()
    reader = FrameReader()
    reader.feed(H("01 02 03") + encoded[:3])  # "AA AA AA" might start a frame: keep it
    assert reader.next_frame() is None
    assert reader.wanted() == 4
    reader.feed(encoded[3:])
    assert reader.next_frame() == H("00 00 9F")
    assert reader.discarded == 3


def test_reader_reads_two_frames_from_one_chunk() -> None:
    reader = FrameReader()
    reader.feed(Reply(Sw3.CARD_FOUND).encode() + Reply(Sw3.OK).encode())
    assert [reader.next_frame(), reader.next_frame(), reader.next_frame()] == [
        H("00 00 9F"), H("00 00 90"), None]


def test_bad_checksum_is_reported_and_the_next_frame_still_read() -> None:
    bad = bytearray(Reply(Sw3.CARD_FOUND).encode())
    bad[-1] ^= 0x01
    reader = FrameReader()
    reader.feed(bytes(bad) + Reply(Sw3.OK).encode())
    with pytest.raises(FrameError) as info:
        reader.next_frame()
    assert info.value.reason == "checksum"
    assert reader.next_frame() == H("00 00 90")


@pytest.mark.parametrize("length", ["00 00", "00 02", "FF FF"])
def test_a_preamble_with_an_impossible_length_is_skipped(length: str) -> None:
    reader = FrameReader()
    reader.feed(H("AA AA AA 96 69") + H(length) + Reply(Sw3.OK).encode())
    assert reader.next_frame() == H("00 00 90")
    assert reader.discarded == 7


def test_wanted_tells_how_many_bytes_complete_the_frame() -> None:
    encoded = Reply(Sw3.OK).encode()
    reader = FrameReader()
    assert reader.wanted() == 7
    reader.feed(encoded[:7])
    assert reader.wanted() == 4
    assert not FrameReader().in_frame


# ---- the text block ------------------------------------------------------------------------

BLOCK = TextBlock(
    name="欧阳娜娜", sex="2", ethnicity="01", birth_date="19900815",
    address="海口市琼山区府城街道桂林社区5号楼1单元102室", id_number="460107199008158600",
    authority="海口市公安局琼山分局", valid_from="20210815", valid_until=LONG_TERM,
)


def test_text_block_round_trips_chinese_and_long_term() -> None:
    encoded = BLOCK.encode()
    assert len(encoded) == TEXT_BLOCK_SIZE
    assert TextBlock.decode(encoded) == BLOCK


def test_text_block_fields_sit_at_their_offsets() -> None:
    encoded = BLOCK.encode()
    assert encoded[0:10] == "欧阳娜娜 ".encode("utf-16-le")  # name, space padded
    assert encoded[30:32] == "2".encode("utf-16-le")
    assert encoded[32:36] == "01".encode("utf-16-le")
    assert encoded[36:52] == "19900815".encode("utf-16-le")
    assert encoded[122:158] == "460107199008158600".encode("utf-16-le")
    assert encoded[204:208] == H("7F 95 1F 67")  # 长期 in UCS-2 little-endian
    assert encoded[208:220] == " ".encode("utf-16-le") * 6
    assert encoded[220:] == " ".encode("utf-16-le") * 18  # reserved


def test_text_block_decoding_ignores_nul_padding() -> None:
    raw = bytearray(BLOCK.encode())
    raw[8:30] = bytes(22)  # some modules pad with NULs
    assert TextBlock.decode(bytes(raw)).name == "欧阳娜娜"


@pytest.mark.parametrize(("field", "value"), [
    ("name", "一二三四五六七八九十一二三四五六"),  # 16 characters, 15 fit
    ("id_number", "4601071990081586081"),
    ("name", "𠀀"),  # outside UCS-2
])
def test_text_block_refuses_what_does_not_fit(field: str, value: str) -> None:
    bad = TextBlock(**{**BLOCK.__dict__, field: value})
    with pytest.raises(ValueError):
        bad.encode()


def test_text_block_decoding_rejects_broken_bytes() -> None:
    with pytest.raises(FrameError) as info:
        TextBlock.decode(bytes(255))
    assert info.value.reason == "text_block"
    raw = bytearray(BLOCK.encode())
    raw[0:2] = H("00 D8")  # a lone surrogate is not UCS-2
    with pytest.raises(FrameError):
        TextBlock.decode(bytes(raw))


@pytest.mark.parametrize("data", [
    b"\x01",
    H("01 00 04 00") + bytes(256 + 1023),  # photo shorter than announced
    H("00 FF 04 00") + bytes(255 + 1024),  # text block not 256 bytes
])
def test_basic_information_lengths_must_agree(data: bytes) -> None:
    with pytest.raises(FrameError):
        BasicInfo.decode(data)


# ---- code tables and timing ----------------------------------------------------------------

def test_code_tables() -> None:
    assert len(ETHNICITIES) == 58
    assert [code for code in ETHNICITIES if code > "56"] == ["97", "98"]
    assert ethnicity_label("01") == "汉" and ethnicity_label("56") == "基诺"
    assert ethnicity_label("05", "en") == "Uyghur"
    assert ethnicity_label("98") == "外国血统中国籍人士"
    assert ethnicity_label("") == "" and ethnicity_label("99") == ""
    assert [Sex(c).label() for c in "0129"] == ["未知", "男", "女", "未说明"]
    assert Sex.FEMALE.label("en") == "female"
    assert sex_from_label("男") is Sex.MALE and sex_from_label("female") is Sex.FEMALE
    with pytest.raises(ValueError):
        sex_from_label("x")


def test_wire_time_of_a_full_read_reply() -> None:
    assert wire_seconds(1295) == pytest.approx(0.1124, abs=1e-4)
    assert wire_seconds(10, 9600) == pytest.approx(0.0104, abs=1e-4)


NOISE = st.binary(max_size=40).map(lambda b: b.replace(b"\xaa", b"\x55"))


@given(
    replies=st.lists(st.tuples(st.integers(0, 255), st.binary(max_size=300)), max_size=5),
    noise=st.lists(NOISE, min_size=6, max_size=6),
    cuts=st.lists(st.integers(1, 64), max_size=40),
)
def test_frames_survive_noise_and_any_split(
    replies: list[tuple[int, bytes]], noise: list[bytes], cuts: list[int]
) -> None:
    sent = [Reply(sw3, data) for sw3, data in replies]
    stream = b"".join(n + r.encode() for n, r in zip(noise, sent, strict=False)) + noise[-1]
    reader, got, offset = FrameReader(), [], 0
    for size in [*cuts, len(stream)]:
        reader.feed(stream[offset:offset + size])
        offset += size
        while (payload := reader.next_frame()) is not None:
            got.append(Reply.decode(payload))
    assert got == sent
    assert reader.discarded + reader.pending == sum(map(len, noise[:len(sent)])) + len(noise[-1])
