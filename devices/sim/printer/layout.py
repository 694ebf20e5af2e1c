"""The line buffer: characters wait here until LF (or ESC d, ESC J) prints them as lines.

Decoding happens when the line is printed, so a double-byte character split across two TCP
chunks (or two text runs in the same style) still decodes as one character.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from dataclasses import replace as dc_replace

from PIL import Image

from .codepages import decode_chinese, decode_single_byte
from .page import FONT_CELLS, Glyph, InlineBitmap, Item, Style, TextLine


@dataclass
class TextPiece:
    ascii: Style
    cjk: Style
    codec: str  # a single-byte codec, or "gb18030" in Chinese mode
    data: bytearray


@dataclass(frozen=True)
class TabPiece:
    stops: tuple[int, ...]  # tab positions in dots, as set when HT arrived


@dataclass(frozen=True)
class BitmapPiece:
    image: Image.Image


Piece = TextPiece | TabPiece | BitmapPiece


@dataclass
class Area:
    """Where lines go: the printable area after GS L / GS W, and how they are aligned."""

    x: int
    width: int
    align: int  # 0 left, 1 centre, 2 right
    line_spacing: int


@dataclass
class LineBuffer:
    """Pieces of the line being built, and the alignment it had when it began."""

    pieces: list[Piece] = field(default_factory=list)
    align: int = 0

    @property
    def empty(self) -> bool:
        return not self.pieces

    def add_text(self, data: bytes, ascii_style: Style, cjk_style: Style, codec: str,
                 align: int) -> None:
        """Append text bytes, merging with the previous run when nothing changed."""
        self._begin(align)
        last = self.pieces[-1] if self.pieces else None
        if (isinstance(last, TextPiece) and last.codec == codec and last.ascii == ascii_style
                and last.cjk == cjk_style):
            last.data += data
        else:
            self.pieces.append(TextPiece(ascii_style, cjk_style, codec, bytearray(data)))

    def add(self, piece: TabPiece | BitmapPiece, align: int) -> None:
        """Append a tab or an inline bit image."""
        self._begin(align)
        self.pieces.append(piece)

    def take(self) -> tuple[list[Piece], int]:
        """Return the pieces and alignment, and empty the buffer."""
        pieces, self.pieces = self.pieces, []
        return pieces, self.align

    def _begin(self, align: int) -> None:
        # ESC a takes effect only at the beginning of a line.
        if not self.pieces:
            self.align = align


def layout(pieces: list[Piece], area: Area) -> list[TextLine]:
    """Place the pieces on one or more printed lines, wrapping characters at the area's edge."""
    rows: list[list[Item]] = [[]]
    x = 0
    for element in _elements(pieces):
        if isinstance(element, TabPiece):
            x = _next_tab(x, element.stops, area)
            continue
        if isinstance(element, Glyph) and x + element.width > area.width and rows[-1]:
            rows.append([])
            x = 0
        item = _placed(element, x, area.width)
        if item is not None:
            rows[-1].append(item)
            x += item.width
    return [_line(row, area) for row in rows]


def _elements(pieces: list[Piece]) -> list[Glyph | InlineBitmap | TabPiece]:
    out: list[Glyph | InlineBitmap | TabPiece] = []
    for piece in pieces:
        if isinstance(piece, TabPiece):
            out.append(piece)
        elif isinstance(piece, BitmapPiece):
            out.append(InlineBitmap(0, piece.image))
        else:
            for char, wide in _decode(piece):
                style = piece.cjk if wide else piece.ascii
                width, height = _cell(style, wide)
                out.append(Glyph(char, 0, width, height, wide, style))
    return out


def _placed(element: Glyph | InlineBitmap, x: int, width: int) -> Item | None:
    if isinstance(element, Glyph):
        return dc_replace(element, x=x)
    # Bit-image data beyond the printable area is discarded, not wrapped.
    room = width - x
    if room <= 0:
        return None
    image = element.image
    if image.width > room:
        image = image.crop((0, 0, room, image.height))
    return InlineBitmap(x, image)


def _decode(piece: TextPiece) -> list[tuple[str, bool]]:
    if piece.codec == "gb18030":
        return decode_chinese(bytes(piece.data))
    return [(char, False) for char in decode_single_byte(bytes(piece.data), piece.codec)]


def _cell(style: Style, wide: bool) -> tuple[int, int]:
    width, height = FONT_CELLS[style.font]
    if wide:
        width = height
    return width * style.width, height * style.height


def _next_tab(x: int, stops: tuple[int, ...], area: Area) -> int:
    for stop in stops:
        if stop > x:
            return min(stop, area.width)
    return x  # past the last tab stop: HT is ignored


def _line(row: list[Item], area: Area) -> TextLine:
    used = max((item.x + item.width for item in row), default=0)
    shift = max(0, {1: (area.width - used) // 2, 2: area.width - used}.get(area.align, 0))
    placed = tuple(dc_replace(item, x=area.x + shift + item.x) for item in row)
    height = max([area.line_spacing, *(item.height for item in row)])
    return TextLine(placed, height)
