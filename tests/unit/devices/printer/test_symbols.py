"""QR and barcode sizing: the largest legible module that fits the paper."""

from __future__ import annotations

import pytest

from devices.printer.document import Barcode, DocumentError, Qr
from devices.printer.profiles import get_profile
from devices.printer.samples import base45, sample_payload
from devices.printer.symbols import barcode_module_dots, barcode_modules, qr_size, qr_version

PAYLOAD = sample_payload()  # 508 base45 characters, like a signed residence certificate


def test_sample_payload_is_certificate_sized_base45() -> None:
    assert 480 <= len(PAYLOAD) <= 540
    assert base45(b"AB") == "BB8"  # RFC 9285's own example
    assert base45(b"Hello!!") == "%69 VD92EX0"


@pytest.mark.parametrize(("ec", "version"), [("L", 12), ("M", 14), ("Q", 17), ("H", 20)])
def test_qr_version_for_the_certificate_payload(ec: str, version: int) -> None:
    assert qr_version(PAYLOAD, ec) == version  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("profile", "native", "version", "dots", "width_mm"),
    [
        # v17 = 85 modules; 4 dots each = 340 dots = 42.5 mm, under 45 mm.
        ("58mm", True, 17, 4, 42.5),
        ("80mm", True, 17, 4, 42.5),
        # The raster image adds one module of border each side: 87 × 4 = 348 dots.
        ("58mm-basic", False, 17, 4, 42.5),
    ],
)
def test_qr_size_for_the_certificate(
    profile: str, native: bool, version: int, dots: int, width_mm: float
) -> None:
    size = qr_size(Qr(PAYLOAD), get_profile(profile), border_modules=0 if native else 1)
    assert (size.version, size.module_dots) == (version, dots)
    assert size.dots * 25.4 / 203 == pytest.approx(width_mm, abs=0.1)


def test_short_payload_gets_big_modules_but_stays_within_the_width() -> None:
    size = qr_size(Qr("SQ1:SHORT"), get_profile("58mm"))
    # 21 × 16 = 336 dots would fit 45 mm, but leave 24 + 39 dots of blank beside it, under the
    # quiet zone of 4 × 16 = 64; 15 dots leaves 34 + 39 = 73 ≥ 60.
    assert size.version == 1 and size.module_dots == 15
    assert size.dots <= get_profile("58mm").mm_to_dots(45)


def test_wider_max_width_on_80mm_allows_bigger_modules() -> None:
    size = qr_size(Qr(PAYLOAD, max_width_mm=70), get_profile("80mm"))
    assert size.module_dots == 6  # 85 × 6 = 510 dots ≤ 560 (70 mm) and ≤ 576


@pytest.mark.parametrize(
    "qr",
    [
        Qr(PAYLOAD * 2, ec="H"),  # v33+: modules would be under 3 dots on 58 mm
        Qr(PAYLOAD, module_size=5),  # 85 × 5 = 425 dots: wider than 45 mm
        Qr(PAYLOAD, module_size=2),  # fits, but too small to scan
        Qr("A" * 5000, ec="Q"),  # more than any QR version holds
    ],
)
def test_qr_that_cannot_be_printed_legibly_is_refused(qr: Qr) -> None:
    with pytest.raises(DocumentError):
        qr_size(qr, get_profile("58mm"))


@pytest.mark.parametrize(
    ("barcode", "modules", "dots_58", "dots_80"),
    [
        (Barcode("JZ2026000123"), 167, 2, 3),
        (Barcode("12345"), 90, 4, 4),
        (Barcode("6901234567892", symbology="EAN13"), 95, 4, 4),
        (Barcode("ABC-123", symbology="CODE39"), 144, 2, 3),
    ],
)
def test_barcode_module_width(barcode: Barcode, modules: int, dots_58: int, dots_80: int) -> None:
    assert barcode_modules(barcode) == modules
    assert barcode_module_dots(barcode, get_profile("58mm")) == dots_58
    assert barcode_module_dots(barcode, get_profile("80mm")) == dots_80


def test_barcode_too_long_for_the_paper_is_refused() -> None:
    with pytest.raises(DocumentError, match="wider than 58mm"):
        barcode_module_dots(Barcode("X" * 20), get_profile("58mm"))
