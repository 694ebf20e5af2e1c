"""The printer's settable modes: what ESC @ resets and what survives from one connection to the next.

A real printer keeps its modes (Chinese mode, alignment, size ...) until ESC @ or power-off, even
across connections, so a driver that forgets ESC @ sees leftovers from the previous job; the
simulator copies the modes at the start of a connection and stores them back at its end.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from .page import DEFAULT_LINE_SPACING, Style

DEFAULT_TAB_COLUMNS = tuple(range(8, 256, 8))
QR_LEVELS = {48: "L", 49: "M", 50: "Q", 51: "H"}


@dataclass
class Modes:
    """Settable printer modes (ESC @ restores the defaults)."""

    chinese_default: bool = False
    # Characters: single-byte (ESC !, GS !) and double-byte (FS !, GS !) sizes differ.
    font: int = 0
    bold: bool = False
    underline: int = 0
    ascii_width: int = 1
    ascii_height: int = 1
    cjk_width: int = 1
    cjk_height: int = 1
    cjk_underline: int = 0
    invert: bool = False
    upside_down: bool = False
    chinese: bool = False
    code_page: int = 0
    # Layout
    align: int = 0
    line_spacing: int = DEFAULT_LINE_SPACING
    left_margin: int = 0
    area_width: int | None = None
    tab_columns: tuple[int, ...] = DEFAULT_TAB_COLUMNS
    # Symbols
    qr_model: int = 2
    qr_module: int = 3
    qr_ec: str = "L"
    qr_data: bytes | None = None
    barcode_height: int = 162
    barcode_module: int = 3
    hri: str = ""
    hri_font: int = 0
    graphics: dict[str, bytes] = field(default_factory=dict)  # stored GS ( L / GS ( k data

    def __post_init__(self) -> None:
        self.chinese = self.chinese_default

    def reset(self) -> None:
        """Restore the power-on modes (ESC @)."""
        fresh = Modes(chinese_default=self.chinese_default)
        self.__dict__.update(fresh.__dict__)

    def copy(self) -> Modes:
        """Return an independent copy."""
        return copy.deepcopy(self)

    def ascii_style(self) -> Style:
        """Return the style of a single-byte character printed now."""
        return Style(self.font, self.bold, self.underline, self.ascii_width, self.ascii_height,
                     self.invert, self.upside_down)

    def cjk_style(self) -> Style:
        """Return the style of a double-byte character printed now."""
        return Style(self.font, self.bold, max(self.underline, self.cjk_underline),
                     self.cjk_width, self.cjk_height, self.invert, self.upside_down)
