"""Render a printed page as plain text: one line per printed line, alignment kept roughly."""

from __future__ import annotations

from .page import (
    FONT_CELLS,
    Barcode,
    Block,
    Cut,
    Feed,
    Glyph,
    Page,
    Placeholder,
    QrSymbol,
    Raster,
    TextLine,
)

COLUMN = FONT_CELLS[0][0]  # one text column = one font-A character (12 dots)


def render_text(page: Page) -> str:
    """Return the page as text, ending with a newline when anything was printed."""
    columns = page.dot_width // COLUMN
    lines = [line for block in page.blocks for line in _block_lines(block, columns)]
    return "\n".join(lines) + ("\n" if lines else "")


def _block_lines(block: Block, columns: int) -> list[str]:
    if isinstance(block, TextLine):
        return [_text_line(block)]
    if isinstance(block, Feed):
        return [""] * block.lines
    if isinstance(block, Cut):
        label = " partial cut " if block.partial else " cut "
        return [label.center(columns, "-" if not block.partial else "~")]
    return [_centered(_label(block), columns)]


def _text_line(line: TextLine) -> str:
    out: list[str] = []
    x = 0
    for item in sorted(line.items, key=lambda item: item.x):
        gap = round((item.x - x) / COLUMN)
        out.append(" " * max(0, gap))
        out.append(item.char if isinstance(item, Glyph) else "▒" * max(1, item.width // COLUMN))
        x = item.x + item.width
    return "".join(out).rstrip()


def _label(block: Block) -> str:
    if isinstance(block, QrSymbol):
        return f"[QR {block.ec}: {block.payload.decode('utf-8', errors='replace')}]"
    if isinstance(block, Barcode):
        return f"[{block.system}: {block.content}]"
    if isinstance(block, Raster):
        return f"[image {block.image.width}x{block.image.height}]"
    if isinstance(block, Placeholder):
        return block.label
    return ""


def _centered(text: str, columns: int) -> str:
    return text.center(columns).rstrip()
