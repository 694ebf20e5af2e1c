"""The decoder seam: turn a camera frame into the codes it shows, with exact payload bytes.

Two implementations, both restricted by default to QR and the common 1-D codes
(``DEFAULT_SYMBOLOGIES``): ``ZxingDecoder`` (zxing-cpp) and ``PyzbarDecoder`` (zbar through
pyzbar, with QR binary mode on so UTF-8 payloads come back byte for byte). Both report the
same ``Symbology`` names and the same ``text`` rule: the payload as UTF-8 if it is valid UTF-8,
else None (ECI other than UTF-8 is not interpreted: the backend reads ``data``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import zxingcpp
from PIL import Image
from pyzbar.wrapper import ZBarSymbol

from devices.errors import DeviceConfigError

from . import zbar_binary
from .events import DEFAULT_SYMBOLOGIES, Symbology, text_of

log = logging.getLogger(__name__)


@runtime_checkable
class ArrayLike(Protocol):
    """A numpy-style array (what OpenCV hands out); numpy itself is not required."""

    @property
    def __array_interface__(self) -> dict[str, Any]: ...


Frame = Image.Image | ArrayLike


@dataclass(frozen=True)
class Decoded:
    """One code found in a frame."""

    symbology: str
    data: bytes
    text: str | None

    def __repr__(self) -> str:
        # Payloads may be a resident's sign-in token: keep them out of logs.
        return f"Decoded(symbology={str(self.symbology)!r}, {len(self.data)} bytes)"


class Decoder(Protocol):
    """Finds codes in a frame."""

    name: str

    def decode(self, image: Frame) -> list[Decoded]:
        """Return every code found in the image, in the decoder's order."""
        ...


def to_gray(image: Frame) -> Image.Image:
    """Return the frame as an 8-bit grey PIL image (both decoders read luminance only)."""
    if isinstance(image, Image.Image):
        return image if image.mode == "L" else image.convert("L")
    if isinstance(image, ArrayLike):
        return to_gray(Image.fromarray(image))
    raise TypeError(f"expected a PIL image or a numpy array, got {type(image).__name__}")


def _decoded(symbology: Symbology, data: bytes) -> Decoded:
    # A UPC-A is an EAN-13 whose first digit is 0; zxing-cpp reports it as such, zbar as 12
    # digits. Report it one way whichever decoder read it: UPC_A, 12 digits.
    if symbology in (Symbology.EAN_13, Symbology.UPC_A) and len(data) == 13 and data[:1] == b"0":
        symbology, data = Symbology.UPC_A, data[1:]
    return Decoded(symbology, data, text_of(data))


_ZBAR: dict[Symbology, ZBarSymbol] = {
    Symbology.QR_CODE: ZBarSymbol.QRCODE, Symbology.CODE_128: ZBarSymbol.CODE128,
    Symbology.CODE_39: ZBarSymbol.CODE39, Symbology.EAN_13: ZBarSymbol.EAN13,
    Symbology.EAN_8: ZBarSymbol.EAN8, Symbology.UPC_A: ZBarSymbol.UPCA,
    Symbology.UPC_E: ZBarSymbol.UPCE, Symbology.PDF417: ZBarSymbol.PDF417,
}
_FROM_ZBAR: dict[int, Symbology] = {int(z): s for s, z in _ZBAR.items()}


class PyzbarDecoder:
    """zbar via pyzbar, QR binary mode on: exact bytes; ~4 ms per clean 640×480 frame, ~25 ms
    on a grainy one (zbar's 1-D decoders chase the grain: QR alone ~11 ms)."""

    name = "pyzbar"

    def __init__(self, symbologies: Iterable[Symbology] = DEFAULT_SYMBOLOGIES) -> None:
        wanted = frozenset(symbologies)
        unsupported = wanted - _ZBAR.keys()
        if unsupported:
            raise DeviceConfigError(f"zbar cannot read {sorted(unsupported)}")
        self.symbologies = wanted
        self._symbols = frozenset(_ZBAR[s] for s in wanted)

    def decode(self, image: Frame) -> list[Decoded]:
        """Return every code found in the image."""
        gray = to_gray(image)
        width, height = gray.size
        found = zbar_binary.scan(gray.tobytes(), width, height, self._symbols)
        return [_decoded(_FROM_ZBAR.get(kind, Symbology.UNKNOWN), data) for kind, data in found]


_ZXING: dict[Symbology, zxingcpp.BarcodeFormat] = {
    Symbology.QR_CODE: zxingcpp.BarcodeFormat.QRCode,
    Symbology.CODE_128: zxingcpp.BarcodeFormat.Code128,
    Symbology.CODE_39: zxingcpp.BarcodeFormat.Code39,
    Symbology.EAN_13: zxingcpp.BarcodeFormat.EAN13,
    Symbology.EAN_8: zxingcpp.BarcodeFormat.EAN8,
    Symbology.UPC_A: zxingcpp.BarcodeFormat.UPCA,
    Symbology.UPC_E: zxingcpp.BarcodeFormat.UPCE,
    Symbology.DATA_MATRIX: zxingcpp.BarcodeFormat.DataMatrix,
    Symbology.PDF417: zxingcpp.BarcodeFormat.PDF417,
}
_FROM_ZXING: dict[Any, Symbology] = {z: s for s, z in _ZXING.items()}


class ZxingDecoder:
    """zxing-cpp: exact bytes (``Barcode.bytes``), ~2–3 ms per 640×480 frame, grain or not."""

    name = "zxing-cpp"

    def __init__(self, symbologies: Iterable[Symbology] = DEFAULT_SYMBOLOGIES, *,
                 try_invert: bool = True) -> None:
        wanted = frozenset(symbologies)
        unsupported = wanted - _ZXING.keys()
        if unsupported:
            raise DeviceConfigError(f"zxing-cpp cannot read {sorted(unsupported)}")
        self.symbologies = wanted
        self._formats = zxingcpp.BarcodeFormats([_ZXING[s] for s in sorted(wanted)])
        # Some phone apps show light-on-dark codes in dark mode; reading them costs a little.
        self._try_invert = try_invert

    def decode(self, image: Frame) -> list[Decoded]:
        """Return every code found in the image."""
        found = zxingcpp.read_barcodes(to_gray(image), formats=self._formats,
                                       try_invert=self._try_invert)
        return [_decoded(_FROM_ZXING.get(code.format, Symbology.UNKNOWN), code.bytes)
                for code in found if code.valid]


def default_decoder(symbologies: Iterable[Symbology] = DEFAULT_SYMBOLOGIES) -> Decoder:
    """Return the decoder the benchmark chose: zxing-cpp.

    The rule (``tests/bench/bench_decoders.py``): the faster decoder among those that read at
    least as many codes exactly. 140 frames of 640×480 (clean, blurred, rotated, 2 px modules,
    Chinese UTF-8, 516-char base45 at EC Q, CODE128; ±8 grey levels of grain), QR + 1-D
    symbologies, 2-core VM, zxing-cpp 3.1.1, pyzbar 0.1.9 / libzbar 0.23.92:

        zxing-cpp  median 2.4 ms, p95 3.4 ms, 129/140 read exactly
        pyzbar     median 25 ms,  p95 26–28 ms, 127/140 read exactly

    Without grain pyzbar takes 3.9 ms (zxing-cpp 1.9 ms); both read every clean, rotated,
    small-module, Chinese and base45 frame; blur is where they differ (zxing-cpp 9–12 of 20,
    pyzbar 7 of 20).
    """
    return ZxingDecoder(symbologies)


def decoder_named(name: str, symbologies: Iterable[Symbology] = DEFAULT_SYMBOLOGIES) -> Decoder:
    """Return a decoder by name ("zxing-cpp", "zxing", "pyzbar", "default")."""
    key = name.strip().lower()
    if key in {"zxing-cpp", "zxing", "zxingcpp"}:
        return ZxingDecoder(symbologies)
    if key in {"pyzbar", "zbar"}:
        return PyzbarDecoder(symbologies)
    if key == "default":
        return default_decoder(symbologies)
    raise DeviceConfigError(f"unknown decoder {name!r}; known: zxing-cpp, pyzbar, default")
