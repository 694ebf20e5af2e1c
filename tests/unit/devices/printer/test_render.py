"""Rendering: golden ESC/POS bytes of the sample certificate, and the properties that explain them.

The golden files hold the exact job for ``samples.sample_certificate()`` on each profile. After an
intended change to rendering, regenerate them and review the diff of the bytes:

    KIOSK_UPDATE_GOLDEN=1 .venv/bin/pytest tests/unit/devices/printer/test_render.py
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import zxingcpp
from escpos.printer import Dummy
from PIL import Image

from devices.printer.document import Barcode, Document, DocumentError, KeyValue, Qr, Text
from devices.printer.profiles import get_profile
from devices.printer.render import escpos_profile, render_bytes
from devices.printer.samples import sample_certificate, sample_payload

GOLDEN = Path(__file__).with_name("golden")
PROFILES = ["58mm", "80mm", "58mm-basic"]
FS_AND, FS_DOT = b"\x1c&", b"\x1c."
CHINESE_SEGMENT = re.compile(rb"\x1c&(.*?)\x1c\.", re.S)


def _job(profile: str) -> bytes:
    return render_bytes(sample_certificate(), get_profile(profile))


def _first_difference(a: bytes, b: bytes) -> str:
    at = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    return (f"lengths {len(a)} vs {len(b)}; first difference at byte {at}: "
            f"{a[max(0, at - 16): at + 16].hex(' ')} vs {b[max(0, at - 16): at + 16].hex(' ')}")


@pytest.mark.parametrize("profile", PROFILES)
def test_sample_certificate_matches_golden_bytes(profile: str) -> None:
    golden = GOLDEN / f"certificate-{profile}.bin"
    job = _job(profile)
    if os.environ.get("KIOSK_UPDATE_GOLDEN"):
        golden.write_bytes(job)
    assert job == golden.read_bytes(), _first_difference(job, golden.read_bytes())


def _without_2d_codes(job: bytes) -> bytes:
    """Drop GS ( k commands, whose length bytes (pL pH) are binary."""
    out, at = bytearray(), 0
    while (start := job.find(b"\x1d(k", at)) >= 0:
        length = int.from_bytes(job[start + 3: start + 5], "little")
        out += job[at:start]
        at = start + 5 + length
    return bytes(out + job[at:])


def _align_before(job: bytes, index: int) -> int:
    return job[job.rindex(b"\x1ba", 0, index) + 2]


@pytest.mark.parametrize("profile", ["58mm", "80mm"])
def test_every_non_ascii_byte_sits_between_fs_and_and_fs_dot(profile: str) -> None:
    job = _without_2d_codes(_job(profile))
    outside = CHINESE_SEGMENT.sub(b"", job)
    assert all(byte < 0x80 for byte in outside)
    assert FS_AND not in outside and FS_DOT not in outside  # every FS & is closed


def test_chinese_goes_out_as_gb18030_in_chinese_mode() -> None:
    job = _job("58mm")
    chinese = [m.decode("gb18030") for m in CHINESE_SEGMENT.findall(job)]
    assert chinese[0] == "居住证明"
    assert "北京市东城区东华门街道多福巷社区（" in "".join(chinese)
    assert b"\x1d!\x11\x1bE\x01\x1ba\x01" + FS_AND + "居住证明".encode("gb18030") in job


@pytest.mark.parametrize(("char", "gb18030"), [("，", b"\xa3\xac"), ("：", b"\xa3\xba"),
                                               ("（", b"\xa3\xa8"), ("）", b"\xa3\xa9")])
def test_full_width_punctuation_is_encoded_not_question_marks(char: str, gb18030: bytes) -> None:
    assert char.encode("gb18030") == gb18030
    job = render_bytes(Document.of(Text(char)), get_profile("58mm"))
    assert FS_AND + gb18030 + FS_DOT + b"\n" in job
    assert b"?" not in job
    # What python-escpos does with it on its own, and why this renderer does not use text() here:
    vendor = Dummy(profile=escpos_profile(get_profile("58mm")))
    vendor.text(char)
    assert vendor.output.endswith(b"?")


def test_no_question_marks_anywhere_in_the_certificate() -> None:
    assert b"?" not in _job("58mm")  # the payload is base45: no '?' in its alphabet


def test_profile_without_fs_and_sends_bare_gb_bytes() -> None:
    import dataclasses

    profile = dataclasses.replace(get_profile("58mm"), needs_fs_and=False)
    job = render_bytes(Document.of(Text("姓名：张三")), profile)
    assert FS_AND not in job and "姓名：张三".encode("gb18030") + b"\n" in job


def test_double_size_uses_gs_excl_for_chinese_and_resets() -> None:
    job = render_bytes(Document.of(Text("大字", size=2), Text("小字")), get_profile("58mm"))
    big = job.index(b"\x1d!\x11")
    small = job.index(b"\x1d!\x00")
    assert big < job.index("大字".encode("gb18030")) < small < job.index("小字".encode("gb18030"))


@pytest.mark.parametrize("profile", ["58mm", "80mm"])
def test_native_qr_is_centred_at_level_q_with_computed_module_size(profile: str) -> None:
    job = _job(profile)
    payload = sample_payload().encode()
    qr_start = job.index(b"\x1d(k\x04\x001A2\x00")  # model 2
    assert _align_before(job, qr_start) == 1  # centred before the code (ESC a 1)
    assert b"\x1d(k\x03\x001C\x04" in job  # module 4 dots: v17 = 340 dots = 42.5 mm
    assert b"\x1d(k\x03\x001E2" in job  # error correction Q, not python-escpos's default L
    length = len(payload) + 3
    store = b"\x1d(k" + bytes((length % 256, length // 256)) + b"1P0" + payload
    assert store + b"\x1d(k\x03\x001Q0" in job
    assert b"\x1dv0" not in job  # no raster image


def _raster_images(job: bytes) -> list[Image.Image]:
    images = []
    for match in re.finditer(rb"\x1dv0(.)(..)(..)", job, re.S):
        width_bytes = int.from_bytes(match.group(2), "little")
        height = int.from_bytes(match.group(3), "little")
        data = job[match.end(): match.end() + width_bytes * height]
        image = Image.frombytes("1", (width_bytes * 8, height), data)
        images.append(Image.eval(image.convert("L"), lambda v: 255 - v))  # 1 bits are black
    return images


def test_raster_qr_on_a_printer_without_gs_k_decodes_to_the_payload() -> None:
    job = _job("58mm-basic")
    assert b"\x1d(k" not in job
    (image,) = _raster_images(job)
    assert image.width == 384  # padded to the printable width, code centred
    results = zxingcpp.read_barcodes(image.convert("RGB").resize((image.width * 2,
                                                                  image.height * 2)))
    assert [r.text for r in results] == [sample_payload()]
    assert results[0].symbology_identifier == "]Q1"


def test_barcode_is_code128_set_b_at_fitting_width() -> None:
    job = _job("58mm")
    # height 64, module 2 dots, HRI font A below, GS k 73 (CODE128) n=14 "{B" + data
    barcode = job.index(b"\x1dh@\x1dw\x02\x1df\x00\x1dH\x02\x1dkI\x0e{BJZ2026000123")
    assert _align_before(job, barcode) == 1  # centred
    assert b"\x1dw\x03" in _job("80mm")  # wider paper, wider bars


@pytest.mark.parametrize(("profile", "ending"), [
    ("58mm", b"\x1bd\x06\x1dV\x01"),  # partial cutter: the full cut falls back to partial
    ("80mm", b"\x1bd\x06\x1dV\x00"),
    ("58mm-basic", b"\n\x1bd\x06"),  # no cutter: feed to the tear bar
])
def test_cut_follows_the_profile_cutter(profile: str, ending: bytes) -> None:
    assert _job(profile).endswith(ending)


def test_job_starts_with_init_and_code_page() -> None:
    assert _job("58mm").startswith(b"\x1b@\x1bt\x00")


def test_rendering_twice_gives_the_same_bytes() -> None:
    assert _job("58mm") == _job("58mm")


@pytest.mark.parametrize("doc", [
    Document.of(Qr(sample_payload() * 3, ec="H")),
    Document.of(Barcode("123456789012", symbology="EAN13"), Barcode("12345", symbology="EAN13")),
    Document.of(Barcode("X" * 30)),
])
def test_unprintable_documents_fail_before_any_byte_is_produced(doc: Document) -> None:
    with pytest.raises(DocumentError):
        render_bytes(doc, get_profile("58mm"))


def test_long_value_wraps_under_its_key_in_the_job() -> None:
    job = render_bytes(Document.of(KeyValue("住址", "北京市东城区东华门街道多福巷")),
                       get_profile("58mm"))
    lines = job.split(b"\n")
    assert lines[0].endswith(FS_AND + "住址".encode("gb18030") + FS_DOT)
    assert lines[1] == b"  " + FS_AND + "北京市东城区东华门街道多福巷".encode("gb18030") + FS_DOT
