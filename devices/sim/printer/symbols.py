"""QR codes and 1-D barcodes the printer draws itself (GS ( k, GS k), redrawn decodably."""

from __future__ import annotations

from dataclasses import dataclass

import barcode
import qrcode
import qrcode.constants
from barcode.errors import BarcodeError
from qrcode.exceptions import DataOverflowError

QR_ERROR_LEVELS = {
    "L": qrcode.constants.ERROR_CORRECT_L,
    "M": qrcode.constants.ERROR_CORRECT_M,
    "Q": qrcode.constants.ERROR_CORRECT_Q,
    "H": qrcode.constants.ERROR_CORRECT_H,
}
BARCODE_SYSTEMS: dict[int, str] = {
    0: "UPC-A", 1: "UPC-E", 2: "EAN13", 3: "EAN8", 4: "CODE39", 5: "ITF", 6: "CODABAR",
    65: "UPC-A", 66: "UPC-E", 67: "EAN13", 68: "EAN8", 69: "CODE39", 70: "ITF", 71: "CODABAR",
    72: "CODE93", 73: "CODE128", 74: "GS1-128", 75: "GS1 DATABAR OMNIDIRECTIONAL",
    76: "GS1 DATABAR TRUNCATED", 77: "GS1 DATABAR LIMITED", 78: "GS1 DATABAR EXPANDED",
}
# Symbologies python-barcode can draw, and how many leading digits its class takes.
_DRAWN: dict[str, tuple[str, int | None]] = {
    "UPC-A": ("upca", 11), "EAN13": ("ean13", 12), "EAN8": ("ean8", 7),
    "CODE39": ("code39", None), "ITF": ("itf", None), "CODABAR": ("codabar", None),
    "CODE128": ("code128", None),
}


class SymbolError(ValueError):
    """The printer would refuse to print this symbol."""


def qr_matrix(payload: bytes, ec: str) -> tuple[tuple[bool, ...], ...]:
    """Return the QR modules (no quiet zone) for the payload at an error-correction level."""
    code = qrcode.QRCode(version=None, error_correction=QR_ERROR_LEVELS[ec], border=0)
    try:
        code.add_data(payload)
        code.make(fit=True)
    except (DataOverflowError, ValueError) as err:
        raise SymbolError(f"QR data does not fit a QR code: {err}") from err
    return tuple(tuple(bool(cell) for cell in row) for row in code.get_matrix())


@dataclass(frozen=True)
class DrawnBarcode:
    content: str  # what a scanner reads (and the HRI text)
    modules: str  # "" when the simulator does not draw this symbology
    problem: str = ""


def draw_barcode(system: str, data: bytes) -> DrawnBarcode:
    """Return what a barcode command prints: its content and its bars."""
    if system == "CODE128":
        content = code128_content(data)
    else:
        content = data.decode("latin-1").strip("*" if system == "CODE39" else "")
    if system not in _DRAWN:
        return DrawnBarcode(content, "", f"{system} is not drawn by the simulator")
    name, digits = _DRAWN[system]
    text = content[:digits] if digits else content
    try:
        symbol = _barcode_class(name, text)
    except (BarcodeError, ValueError, TypeError) as err:
        raise SymbolError(f"{system} data {content!r} is not printable: {err}") from err
    full = symbol.get_fullcode() if digits else content
    problem = "" if not digits or full.startswith(content) else (
        f"check digit sent {content[digits:]!r}, printed {full[digits:]!r}")
    return DrawnBarcode(full, symbol.build()[0], problem)


def _barcode_class(name: str, text: str) -> barcode.Barcode:
    cls = barcode.get_barcode_class(name)
    if name == "code39":
        return cls(text, add_checksum=False)
    return cls(text)


def code128_content(data: bytes) -> str:
    """Return what a scanner reads from ESC/POS CODE128 data ({A/{B/{C code-set prefixes)."""
    if data[:2] not in (b"{A", b"{B", b"{C"):
        raise SymbolError("CODE128 data must start with {A, {B or {C")
    out: list[str] = []
    code_set, i = "", 0
    while i < len(data):
        byte = data[i]
        if byte == ord("{") and i + 1 < len(data):
            code_set = _code128_escape(chr(data[i + 1]), code_set, out)
            i += 2
            continue
        if code_set == "C" and byte > 99:
            raise SymbolError(f"CODE128 code set C takes values 0-99, got {byte}")
        out.append(f"{byte:02d}" if code_set == "C" else chr(byte))
        i += 1
    return "".join(out)


def _code128_escape(code: str, code_set: str, out: list[str]) -> str:
    if code in "ABC":
        return code
    if code == "{":
        out.append("{")
    # {1..{4 are FNC1..FNC4 and {S is SHIFT: they shape the symbol, not the data read.
    return code_set
