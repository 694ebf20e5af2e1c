"""Render a printed page as a black-and-white image, one pixel per printer dot.

Characters are drawn into the printer's character cells with the font the caller gives (``kiosk
sim`` gives the product's CJK font; without one, Pillow's own font draws Latin text only) and
magnified by pixel repetition, as a thermal head does; QR codes and barcodes are drawn module
by module so a scanner library can read them back.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from .page import (
    FONT_CELLS,
    Barcode,
    Block,
    Cut,
    Glyph,
    InlineBitmap,
    Page,
    Placeholder,
    QrSymbol,
    Raster,
    Style,
    TextLine,
)

WHITE, BLACK = 1, 0


@dataclass(frozen=True)
class FontFile:
    """A font file and the face in it to draw with (a .ttc holds several)."""

    path: Path
    index: int = 0


def render_png(page: Page, font: FontFile | None = None) -> Image.Image:
    """Return the page as a mode-"1" image, dot_width pixels wide."""
    height = max(1, sum(block.height for block in page.blocks))
    canvas = Image.new("1", (page.dot_width, height), WHITE)
    y = 0
    for block in page.blocks:
        _draw_block(canvas, block, y, font)
        y += block.height
    return canvas


def _draw_block(canvas: Image.Image, block: Block, y: int, font: FontFile | None) -> None:
    if isinstance(block, TextLine):
        _draw_line(canvas, block, y, font)
    elif isinstance(block, Raster):
        canvas.paste(block.image, (block.x, y))
    elif isinstance(block, QrSymbol):
        canvas.paste(qr_image(block), (block.x, y))
    elif isinstance(block, Barcode):
        canvas.paste(barcode_image(block, font), (block.x, y))
    elif isinstance(block, Placeholder):
        _draw_placeholder(canvas, block.label, y, block.height, font)
    elif isinstance(block, Cut):
        _draw_cut(canvas, y + block.height // 2, block.partial)


def _draw_line(canvas: Image.Image, line: TextLine, y: int, font: FontFile | None) -> None:
    baseline = y + max((item.height for item in line.items), default=0)
    for item in line.items:
        top = baseline - item.height
        if isinstance(item, InlineBitmap):
            canvas.paste(item.image, (item.x, top))
        else:
            canvas.paste(glyph_image(item, font), (item.x, top))


def glyph_image(glyph: Glyph, font: FontFile | None = None) -> Image.Image:
    """Return the printed cell of one character, magnified and styled."""
    return _styled_cell(glyph.char, glyph.wide, glyph.style, font)


@lru_cache(maxsize=4096)
def _styled_cell(char: str, wide: bool, style: Style, font: FontFile | None) -> Image.Image:
    width, height = FONT_CELLS[style.font]
    if wide:
        width = height
    cell = _cell(char, width, height, style.bold, font)
    if style.underline:
        ImageDraw.Draw(cell).rectangle((0, height - style.underline, width - 1, height - 1),
                                       fill=BLACK)
    if style.invert:
        cell = cell.convert("L").point(lambda v: 255 - v).convert("1")
    if style.upside_down:
        cell = cell.rotate(180)
    if (style.width, style.height) != (1, 1):
        cell = cell.resize((width * style.width, height * style.height),
                           Image.Resampling.NEAREST)
    return cell


@lru_cache(maxsize=4096)
def _cell(char: str, width: int, height: int, bold: bool, font: FontFile | None) -> Image.Image:
    """Draw one character into a width x height cell, squeezed if the glyph is wider."""
    work = Image.new("L", (width * 3, height), 255)
    draw = ImageDraw.Draw(work)
    face = _font(height, font)
    for dx in (0, 1) if bold else (0,):
        draw.text((width * 3 // 2 + dx, height // 2), char, font=face, fill=0, anchor="mm")
    box = work.point(lambda v: 255 if v < 128 else 0).getbbox()
    if box is None:
        return Image.new("1", (width, height), WHITE)
    left, right = box[0], box[2]
    if right - left <= width:
        centre = (left + right) // 2
        left, right = centre - width // 2, centre - width // 2 + width
    glyph = work.crop((left, 0, right, height)).resize((width, height))
    return glyph.point(lambda v: 255 if v >= 128 else 0).convert("1")


@lru_cache(maxsize=8)
def _font(size: int, font: FontFile | None) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    if font is None:
        return ImageFont.load_default(size)
    return ImageFont.truetype(str(font.path), size, index=font.index)


def qr_image(symbol: QrSymbol) -> Image.Image:
    """Return the QR symbol at its module size, without a quiet zone (as the printer does)."""
    count = len(symbol.matrix)
    image = Image.new("1", (count, count), WHITE)
    image.putdata([BLACK if dark else WHITE for row in symbol.matrix for dark in row])
    return image.resize((count * symbol.module, count * symbol.module), Image.Resampling.NEAREST)


def barcode_image(code: Barcode, font: FontFile | None = None) -> Image.Image:
    """Return bars and human-readable text of a 1-D barcode."""
    image = Image.new("1", (max(code.width, 160), code.height), WHITE)
    hri_height = FONT_CELLS[code.hri_font][1] + 4
    bars_top = hri_height if code.hri in ("above", "both") else 0
    if code.modules:
        row = Image.new("1", (len(code.modules), 1), WHITE)
        row.putdata([BLACK if m == "1" else WHITE for m in code.modules])
        bars = row.resize((code.width, code.bar_height), Image.Resampling.NEAREST)
        image.paste(bars, (0, bars_top))
    else:
        ImageDraw.Draw(image).rectangle((0, bars_top, image.width - 1,
                                         bars_top + code.bar_height - 1), outline=BLACK)
    if code.hri in ("above", "both"):
        _draw_text(image, code.content, 0, code.hri_font, font)
    if code.hri in ("below", "both"):
        _draw_text(image, code.content, bars_top + code.bar_height + 4, code.hri_font, font)
    return image


def _draw_text(image: Image.Image, text: str, y: int, cell_font: int, font: FontFile | None) -> None:
    style = Style(font=cell_font)
    cells = [_styled_cell(char, ord(char) >= 0x80, style, font) for char in text]
    x = max(0, (image.width - sum(cell.width for cell in cells)) // 2)
    for cell in cells:
        image.paste(cell, (x, y))
        x += cell.width


def _draw_placeholder(canvas: Image.Image, label: str, y: int, height: int, font: FontFile | None) -> None:
    ImageDraw.Draw(canvas).rectangle((8, y + 4, canvas.width - 9, y + height - 5), outline=BLACK)
    strip = Image.new("1", (canvas.width - 20, 24), WHITE)
    _draw_text(strip, label, 0, 0, font)
    canvas.paste(strip, (10, y + (height - 24) // 2))


def _draw_cut(canvas: Image.Image, y: int, partial: bool) -> None:
    dash, gap = (3, 5) if partial else (10, 6)
    draw = ImageDraw.Draw(canvas)
    for x in range(0, canvas.width, dash + gap):
        draw.line((x, y, x + dash - 1, y), fill=BLACK, width=2)
