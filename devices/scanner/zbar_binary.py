"""Call zbar through pyzbar's ctypes wrapper with QR binary mode on.

Why not ``pyzbar.pyzbar.decode``: zbar guesses the text encoding of QR byte-mode segments and
converts them, so UTF-8 Chinese often comes back as Shift-JIS mojibake (中 → 荳ｭ; 69 of 207
random strings in FIELD-NOTES). zbar ≥ 0.23 has ``ZBAR_CFG_BINARY`` (= 4), which returns the
segment bytes untouched, but pyzbar 0.1.9 neither exposes it nor lets a caller set config
on the scanner it creates. So this module repeats the ~20 lines of ``pyzbar.pyzbar.decode``
that matter (create scanner, set config, wrap pixels, scan, walk symbols) with that one
setting added, using only pyzbar's public ``wrapper`` functions.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from ctypes import string_at
from typing import Any

from pyzbar.wrapper import (
    ZBarConfig,
    ZBarSymbol,
    zbar_image_create,
    zbar_image_destroy,
    zbar_image_first_symbol,
    zbar_image_scanner_create,
    zbar_image_scanner_destroy,
    zbar_image_scanner_set_config,
    zbar_image_set_data,
    zbar_image_set_format,
    zbar_image_set_size,
    zbar_scan_image,
    zbar_symbol_get_data,
    zbar_symbol_get_data_length,
    zbar_symbol_next,
)

from devices.errors import DeviceConfigError, HardwareError

ZBAR_CFG_BINARY = 4  # enum zbar_config_e in zbar.h ≥ 0.23; absent from pyzbar's ZBarConfig
_FOURCC_Y800 = 0x30303859  # 8-bit grey, one byte per pixel ("Y800")


def scan(pixels: bytes, width: int, height: int, symbols: Iterable[ZBarSymbol]
         ) -> list[tuple[int, bytes]]:
    """Scan an 8-bit grey image; return (zbar symbol type, exact payload bytes) per code."""
    if len(pixels) != width * height:
        raise ValueError(f"expected {width * height} grey pixels, got {len(pixels)}")
    with _scanner(frozenset(symbols)) as scanner, _image(pixels, width, height) as image:
        if zbar_scan_image(scanner, image) < 0:
            raise HardwareError("zbar rejected the image format")
        return [(int(sym.contents.type), _payload(sym)) for sym in _symbols(image)]


@contextmanager
def _scanner(symbols: frozenset[ZBarSymbol]) -> Iterator[Any]:
    scanner = zbar_image_scanner_create()
    if not scanner:
        raise HardwareError("zbar could not create an image scanner")
    try:
        # As pyzbar does: every other symbology off, the wanted ones (explicitly) on.
        for symbol in ZBarSymbol:
            zbar_image_scanner_set_config(scanner, symbol, ZBarConfig.CFG_ENABLE,
                                          int(symbol in symbols))
        if ZBarSymbol.QRCODE in symbols:
            _set_binary(scanner)
        yield scanner
    finally:
        zbar_image_scanner_destroy(scanner)


def _set_binary(scanner: Any) -> None:
    if zbar_image_scanner_set_config(scanner, ZBarSymbol.QRCODE, ZBAR_CFG_BINARY, 1) != 0:
        # Without binary mode UTF-8 payloads are silently re-encoded: refuse rather than guess.
        raise DeviceConfigError("libzbar is older than 0.23 (no binary mode); upgrade libzbar0 "
                                "or use the zxing-cpp decoder")


@contextmanager
def _image(pixels: bytes, width: int, height: int) -> Iterator[Any]:
    image = zbar_image_create()
    if not image:
        raise HardwareError("zbar could not create an image")
    try:
        zbar_image_set_format(image, _FOURCC_Y800)
        zbar_image_set_size(image, width, height)
        # No cleanup handler: ``pixels`` stays alive (and unchanged) for the whole scan.
        zbar_image_set_data(image, pixels, len(pixels), None)
        yield image
    finally:
        zbar_image_destroy(image)


def _symbols(image: Any) -> Iterator[Any]:
    symbol = zbar_image_first_symbol(image)
    while symbol:
        yield symbol
        symbol = zbar_symbol_next(symbol)


def _payload(symbol: Any) -> bytes:
    return string_at(zbar_symbol_get_data(symbol), zbar_symbol_get_data_length(symbol))
