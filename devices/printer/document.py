"""A small receipt document model: immutable blocks that any printer profile can lay out.

The document says what to print, never how many columns or dots it takes; ``layout`` and
``render`` fit it to a profile. Blocks validate themselves so a bad document fails when it is
built, not half-way through a print job.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypeAlias

Align = Literal["left", "center", "right"]
ALIGNS: tuple[str, ...] = ("left", "center", "right")
EcLevel = Literal["L", "M", "Q", "H"]
EC_LEVELS: tuple[str, ...] = ("L", "M", "Q", "H")
# The symbologies the renderer can size for the paper (see symbols.barcode_modules).
SYMBOLOGIES: tuple[str, ...] = ("CODE128", "CODE39", "EAN13", "EAN8")


class DocumentError(ValueError):
    """A receipt document is malformed; a programming or data error, not a device fault."""


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise DocumentError(message)


@dataclass(frozen=True)
class Title:
    """A centred, bold, double-size heading."""

    text: str


@dataclass(frozen=True)
class Text:
    """A paragraph, wrapped to the paper; size 2 doubles width and height."""

    text: str
    align: Align = "left"
    bold: bool = False
    size: int = 1

    def __post_init__(self) -> None:
        _check(self.align in ALIGNS, f"align must be one of {ALIGNS}, got {self.align!r}")
        _check(self.size in (1, 2), f"text size must be 1 or 2, got {self.size!r}")


@dataclass(frozen=True)
class KeyValue:
    """A row with a label on the left and its value on the right (or under it when long)."""

    key: str
    value: str


@dataclass(frozen=True)
class Separator:
    """A full-width rule made of one ASCII character."""

    char: str = "-"

    def __post_init__(self) -> None:
        _check(len(self.char) == 1 and "!" <= self.char <= "~",
               f"separator must be one printable ASCII character, got {self.char!r}")


@dataclass(frozen=True)
class Qr:
    """A QR code; its module size is computed from the QR version unless given."""

    data: str
    ec: EcLevel = "Q"
    module_size: int | None = None  # dots per module; None = largest that fits max_width_mm
    max_width_mm: float = 45.0

    def __post_init__(self) -> None:
        _check(bool(self.data), "QR data must not be empty")
        _check(self.ec in EC_LEVELS, f"QR error correction must be one of {EC_LEVELS}")
        _check(self.module_size is None or 1 <= self.module_size <= 16,
               f"QR module size must be 1-16 dots, got {self.module_size!r}")
        _check(self.max_width_mm > 0, "QR max_width_mm must be positive")


@dataclass(frozen=True)
class Barcode:
    """A 1-D barcode printed by the printer, human-readable text below."""

    data: str
    symbology: str = "CODE128"
    height_dots: int = 64  # 8 mm at 203 dpi
    show_text: bool = True

    def __post_init__(self) -> None:
        _check(self.symbology in SYMBOLOGIES, f"symbology must be one of {SYMBOLOGIES}")
        _check(bool(self.data) and self.data.isascii() and self.data.isprintable(),
               "barcode data must be printable ASCII")
        _check(1 <= self.height_dots <= 255, "barcode height must be 1-255 dots")


@dataclass(frozen=True)
class Feed:
    """Blank lines."""

    lines: int = 1

    def __post_init__(self) -> None:
        _check(0 <= self.lines <= 255, f"feed must be 0-255 lines, got {self.lines!r}")


@dataclass(frozen=True)
class Cut:
    """Feed past the cutter and cut (or just feed to the tear bar when there is no cutter)."""

    mode: Literal["full", "partial"] = "full"

    def __post_init__(self) -> None:
        _check(self.mode in ("full", "partial"), f"cut mode must be full or partial, got {self.mode!r}")


Block: TypeAlias = Title | Text | KeyValue | Separator | Qr | Barcode | Feed | Cut
BLOCK_TYPES: tuple[type, ...] = (Title, Text, KeyValue, Separator, Qr, Barcode, Feed, Cut)


@dataclass(frozen=True)
class Document:
    """A receipt: blocks printed top to bottom."""

    blocks: tuple[Block, ...]

    def __post_init__(self) -> None:
        for block in self.blocks:
            _check(isinstance(block, BLOCK_TYPES), f"not a receipt block: {block!r}")

    @classmethod
    def of(cls, *blocks: Block) -> Document:
        """Build a document from blocks."""
        return cls(tuple(blocks))
