"""Size QR codes and barcodes for the paper: the largest module that still fits and stays legible.

A QR code's width is (17 + 4 × version) modules; the version follows from the data and the
error-correction level, so it is computed here with the ``qrcode`` library (the same encoder
python-escpos uses for raster codes). The blank paper beside the printable area counts as quiet
zone, so a code may use the whole printable width as long as that margin is wide enough.
"""

from __future__ import annotations

from dataclasses import dataclass

import qrcode
import qrcode.constants

from .document import Barcode, DocumentError, EcLevel, Qr
from .profiles import PrinterProfile

QR_QUIET_MODULES = 4  # ISO/IEC 18004
BARCODE_QUIET_MODULES = 10
# Below 3 dots (0.375 mm at 203 dpi) a thermal-printed module is too small for the kiosk scanners.
MIN_QR_MODULE_DOTS = 3
MAX_QR_MODULE_DOTS = 16  # GS ( k limit
BARCODE_MODULE_DOTS = (4, 3, 2)  # GS w accepts 2-6; wider bars print and scan more reliably

_QR_EC = {
    "L": qrcode.constants.ERROR_CORRECT_L,
    "M": qrcode.constants.ERROR_CORRECT_M,
    "Q": qrcode.constants.ERROR_CORRECT_Q,
    "H": qrcode.constants.ERROR_CORRECT_H,
}


@dataclass(frozen=True)
class QrSize:
    version: int
    modules: int  # modules across, without quiet zone
    module_dots: int

    @property
    def dots(self) -> int:
        return self.modules * self.module_dots


def qr_version(data: str, ec: EcLevel) -> int:
    """Return the smallest QR version (1-40) that holds the data at the error-correction level."""
    code = qrcode.QRCode(error_correction=_QR_EC[ec])
    code.add_data(data)
    try:
        code.make(fit=True)
    except (qrcode.exceptions.DataOverflowError, ValueError) as err:  # ValueError: "version 41"
        raise DocumentError(f"{len(data)} characters do not fit any QR version at level {ec}") from err
    return int(code.version)


def qr_size(qr: Qr, profile: PrinterProfile, *, border_modules: int = 0) -> QrSize:
    """Return the QR version and the module size that fits the paper and ``qr.max_width_mm``.

    ``border_modules`` is the white border drawn inside the image (python-escpos's raster QR
    draws one module on each side; the printer's native QR draws none).
    """
    version = qr_version(qr.data, qr.ec)
    modules = 17 + 4 * version
    limit = min(profile.dot_width, profile.mm_to_dots(qr.max_width_mm))
    candidates = [qr.module_size] if qr.module_size else range(MAX_QR_MODULE_DOTS, 0, -1)
    for dots in candidates:
        drawn = (modules + 2 * border_modules) * dots
        if drawn <= limit and _quiet_zone_ok(profile, drawn, QR_QUIET_MODULES * dots):
            if dots < MIN_QR_MODULE_DOTS:
                break
            return QrSize(version, modules, dots)
    raise DocumentError(
        f"QR version {version} ({len(qr.data)} chars, level {qr.ec}) does not fit "
        f"{qr.max_width_mm} mm on {profile.name} paper with modules of at least "
        f"{MIN_QR_MODULE_DOTS} dots" + (f" (asked for {qr.module_size})" if qr.module_size else "")
    )


def _quiet_zone_ok(profile: PrinterProfile, drawn_dots: int, quiet_dots: int) -> bool:
    side = (profile.dot_width - drawn_dots) // 2 + profile.side_margin_dots
    return side >= quiet_dots


def barcode_modules(barcode: Barcode) -> int:
    """Return the barcode's width in modules (narrow bars), without quiet zones."""
    n = len(barcode.data)
    if barcode.symbology == "CODE128":
        return 11 * n + 35  # start, n symbols, check (11 each) and stop (13), code set B
    if barcode.symbology == "CODE39":
        return 16 * (n + 2)  # with start/stop '*', wide = 3 narrow, 1-module gaps
    if barcode.symbology == "EAN13":
        return 95
    return 67  # EAN8


def barcode_module_dots(barcode: Barcode, profile: PrinterProfile) -> int:
    """Return the widest bar module (dots) for which the barcode fits the printable width."""
    modules = barcode_modules(barcode)
    for dots in BARCODE_MODULE_DOTS:
        drawn = modules * dots
        if drawn <= profile.dot_width and _quiet_zone_ok(
            profile, drawn, BARCODE_QUIET_MODULES * dots
        ):
            return dots
    raise DocumentError(
        f"{barcode.symbology} barcode of {len(barcode.data)} characters ({modules} modules) is "
        f"wider than {profile.name} paper even with {BARCODE_MODULE_DOTS[-1]}-dot bars"
    )
