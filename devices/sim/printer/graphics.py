"""Bit images as ESC/POS sends them, turned into Pillow images of printed dots.

In ESC/POS a 1 bit is a black dot; Pillow's mode "1" stores white as 1, hence the inverted
raw mode "1;I".
"""

from __future__ import annotations

from PIL import Image


def raster_image(width_bytes: int, height: int, data: bytes, scale_x: int = 1,
                 scale_y: int = 1) -> Image.Image:
    """Return a raster bit image (rows of bytes, MSB leftmost) at printed size."""
    image = Image.frombytes("1", (width_bytes * 8, height), bytes(data), "raw", "1;I")
    return _scaled(image, scale_x, scale_y)


def raster_scale(m: int) -> tuple[int, int]:
    """Return the (x, y) stretch of GS v 0 mode m: 1 double width, 2 double height, 3 both."""
    m &= 0x03
    return (2 if m & 1 else 1), (2 if m & 2 else 1)


def column_image(m: int, columns: int, data: bytes) -> Image.Image:
    """Return an ESC * bit image (columns of 1 or 3 bytes, MSB on top) at printed size.

    On a 203-dpi printer the 8-dot modes print at a third of the vertical density and the
    single-density modes (0, 32) at half the horizontal density, so they come out stretched.
    """
    rows = 24 if m in (32, 33) else 8
    transposed = Image.frombytes("1", (rows, columns), bytes(data), "raw", "1;I")
    image = transposed.transpose(Image.Transpose.TRANSPOSE)
    return _scaled(image, 2 if m in (0, 32) else 1, 3 if rows == 8 else 1)


def graphics_image(header_and_data: bytes) -> Image.Image:
    """Return a GS ( L / GS 8 L raster graphic: a bx by c xL xH yL yH d1...dk."""
    tone, bx, by, _color = header_and_data[:4]
    if tone != 48:
        raise ValueError("only monochrome graphics (tone 48) are supported")
    width = int.from_bytes(header_and_data[4:6], "little")
    height = int.from_bytes(header_and_data[6:8], "little")
    data = header_and_data[8:8 + ((width + 7) // 8) * height]
    image = raster_image((width + 7) // 8, height, data).crop((0, 0, width, height))
    return _scaled(image, 2 if bx == 2 else 1, 2 if by == 2 else 1)


def _scaled(image: Image.Image, sx: int, sy: int) -> Image.Image:
    if sx == 1 and sy == 1:
        return image
    return image.resize((image.width * sx, image.height * sy), Image.Resampling.NEAREST)
