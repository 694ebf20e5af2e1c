"""The page model: what came out of the printer, as blocks stacked down the paper.

Positions and sizes are in printer dots (203 dpi: 8 dots per mm). x is measured from the left
edge of the printable area.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PIL import Image

FONT_CELLS = {0: (12, 24), 1: (9, 17)}  # font A, font B: (width, height) of one ASCII cell
DEFAULT_LINE_SPACING = 30  # dots; ESC 2
LINE_UNIT = DEFAULT_LINE_SPACING  # graphics use paper in "lines" of this many dots


@dataclass(frozen=True)
class Style:
    """How one character is printed."""

    font: int = 0
    bold: bool = False
    underline: int = 0
    width: int = 1  # magnification, 1-8
    height: int = 1
    invert: bool = False
    upside_down: bool = False


@dataclass(frozen=True)
class Glyph:
    """A character placed on a line."""

    char: str
    x: int
    width: int
    height: int
    wide: bool  # a double-byte (Chinese) character
    style: Style


@dataclass(frozen=True)
class InlineBitmap:
    """An ESC * bit image placed on a line, like a character."""

    x: int
    image: Image.Image  # mode "1", already stretched to printed dots

    @property
    def width(self) -> int:
        return self.image.width

    @property
    def height(self) -> int:
        return self.image.height


Item = Glyph | InlineBitmap


@dataclass(frozen=True)
class TextLine:
    """One printed line of characters and inline bit images, bottom-aligned."""

    items: tuple[Item, ...]
    height: int
    lines: int = 1

    @property
    def text(self) -> str:
        return "".join(item.char for item in self.items if isinstance(item, Glyph))


@dataclass(frozen=True)
class Feed:
    """Paper fed without printing (a blank line, ESC J, ESC d)."""

    height: int
    lines: int


@dataclass(frozen=True)
class Raster:
    """A raster image (GS v 0, GS ( L) printed as its own band."""

    x: int
    image: Image.Image  # mode "1"
    command: str

    @property
    def height(self) -> int:
        return self.image.height

    @property
    def lines(self) -> int:
        return graphic_lines(self.height)


@dataclass(frozen=True)
class QrSymbol:
    """A QR code the printer drew itself (GS ( k)."""

    x: int
    payload: bytes
    module: int
    ec: str  # "L", "M", "Q", "H"
    model: int
    matrix: tuple[tuple[bool, ...], ...]

    @property
    def height(self) -> int:
        return len(self.matrix) * self.module

    @property
    def lines(self) -> int:
        return graphic_lines(self.height)


@dataclass(frozen=True)
class Barcode:
    """A 1-D barcode the printer drew itself (GS k)."""

    x: int
    system: str
    data: bytes  # the bytes sent
    content: str  # what a scanner reads
    modules: str  # "1" = bar, "0" = space; empty when the symbology is not drawn
    module_width: int
    bar_height: int
    hri: str  # "" (none), "above", "below", "both"
    hri_font: int
    problem: str = ""

    @property
    def width(self) -> int:
        return len(self.modules) * self.module_width

    @property
    def height(self) -> int:
        hri_rows = {"": 0, "above": 1, "below": 1, "both": 2}[self.hri]
        return self.bar_height + hri_rows * (FONT_CELLS[self.hri_font][1] + 4)

    @property
    def lines(self) -> int:
        return graphic_lines(self.height)


@dataclass(frozen=True)
class Placeholder:
    """Something the printer was told to print that the simulator does not draw."""

    label: str
    height: int = 48

    @property
    def lines(self) -> int:
        return graphic_lines(self.height)


@dataclass(frozen=True)
class Cut:
    """A paper cut (GS V)."""

    partial: bool
    height: int = 12
    lines: int = 0


Block = TextLine | Feed | Raster | QrSymbol | Barcode | Placeholder | Cut


def graphic_lines(height: int) -> int:
    """Return how many lines of paper a graphic of this height uses."""
    return max(1, -(-height // LINE_UNIT))


@dataclass
class Page:
    """Everything printed in one job, top to bottom."""

    dot_width: int
    blocks: list[Block] = field(default_factory=list)

    @property
    def lines(self) -> int:
        return sum(block.lines for block in self.blocks)
