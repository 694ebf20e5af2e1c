"""Both decoders read the checked-in golden codes byte for byte, and camera-like frames too."""

from __future__ import annotations

import json
from pathlib import Path
from typing import ClassVar

import pytest
from PIL import Image
from pyzbar.pyzbar import decode as pyzbar_plain_decode

from devices.errors import DeviceConfigError
from devices.scanner.decoder import (
    Decoded,
    Decoder,
    PyzbarDecoder,
    ZxingDecoder,
    decoder_named,
    default_decoder,
)
from devices.scanner.events import Symbology
from devices.sim.camera import code128_symbol, compose_frame, qr_symbol

GOLDEN = Path(__file__).parent / "golden"
EXPECTED: dict[str, dict[str, str | None]] = json.loads(
    (GOLDEN / "expected.json").read_text(encoding="utf-8"))
DECODERS = [PyzbarDecoder, ZxingDecoder]


@pytest.fixture(params=DECODERS, ids=lambda cls: cls.name)
def decoder(request: pytest.FixtureRequest) -> Decoder:
    return request.param()


def _only(found: list[Decoded]) -> Decoded:
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_golden_image_decodes_to_exact_bytes(decoder: Decoder, name: str) -> None:
    want = EXPECTED[name]
    with Image.open(GOLDEN / name) as image:
        found = _only(decoder.decode(image))
    assert found.data == bytes.fromhex(str(want["data_hex"]))
    assert found.symbology == want["symbology"]
    assert found.text == want["text"]


def test_golden_chinese_is_one_zbar_gets_wrong_without_binary_mode() -> None:
    # The reason PyzbarDecoder exists: plain pyzbar re-encodes this payload as Shift-JIS.
    with Image.open(GOLDEN / "qr_utf8_chinese.png") as image:
        plain = pyzbar_plain_decode(image)[0].data
    assert plain != bytes.fromhex(str(EXPECTED["qr_utf8_chinese.png"]["data_hex"]))


def test_base45_token_of_516_chars_reads_whole(decoder: Decoder) -> None:
    with Image.open(GOLDEN / "qr_base45_q.png") as image:
        text = _only(decoder.decode(image)).text
    assert text is not None and text.startswith("ZM1:") and len(text) == 516


@pytest.mark.parametrize("payload", ["居住证明 张三 北京市朝阳区幸福街道1号", "国籍：中国",
                                     "ZM1:6BFOXN*TS0BI$ZD4N9:9S6RCVN5+O30K3"])
def test_camera_frame_reads_exact_utf8(decoder: Decoder, payload: str) -> None:
    frame = compose_frame(qr_symbol(payload), angle=8, seed=7)
    found = _only(decoder.decode(frame))
    assert (found.data, found.text) == (payload.encode("utf-8"), payload)


def test_code128_in_a_frame(decoder: Decoder) -> None:
    found = _only(decoder.decode(compose_frame(code128_symbol("SLIP-000042"), seed=2)))
    assert (found.symbology, found.data) == (Symbology.CODE_128, b"SLIP-000042")


def test_empty_frame_finds_nothing(decoder: Decoder) -> None:
    assert decoder.decode(compose_frame(Image.new("L", (10, 10), 255), seed=3)) == []


def test_restricted_decoder_ignores_other_symbologies() -> None:
    frame = compose_frame(code128_symbol("SLIP-000042"), seed=2)
    for cls in DECODERS:
        assert cls([Symbology.QR_CODE]).decode(frame) == []


def test_rgb_and_array_like_frames_are_accepted(decoder: Decoder) -> None:
    gray = compose_frame(qr_symbol("ZM-1"), seed=4)

    class ArrayFrame(bytes):  # a buffer with numpy's array interface, as OpenCV hands out
        __array_interface__: ClassVar = {"shape": (gray.height, gray.width), "typestr": "|u1",
                                         "version": 3}

    assert _only(decoder.decode(gray.convert("RGB"))).data == b"ZM-1"
    assert _only(decoder.decode(ArrayFrame(gray.tobytes()))).data == b"ZM-1"


def test_not_an_image_is_a_type_error(decoder: Decoder) -> None:
    with pytest.raises(TypeError):
        decoder.decode(b"not an image")  # type: ignore[arg-type]


@pytest.mark.parametrize("cls,symbology", [(PyzbarDecoder, Symbology.DATA_MATRIX)])
def test_unsupported_symbology_is_a_config_error(cls: type, symbology: Symbology) -> None:
    with pytest.raises(DeviceConfigError):
        cls([symbology])


@pytest.mark.parametrize("name,cls", [("zxing-cpp", ZxingDecoder), ("pyzbar", PyzbarDecoder),
                                      ("default", type(default_decoder()))])
def test_decoder_by_name(name: str, cls: type) -> None:
    assert isinstance(decoder_named(name), cls)


def test_unknown_decoder_name() -> None:
    with pytest.raises(DeviceConfigError):
        decoder_named("tesseract")


def test_decoded_repr_hides_the_payload() -> None:
    assert "SECRET" not in repr(Decoded("QR_CODE", b"SECRET", "SECRET"))
