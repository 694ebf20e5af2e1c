"""A picture for an emergency notice, drawn at test time (no network, no file in the repository): a
map-like pictogram — a compound's outline, its buildings, a red pin at the handing-out point and
its name in a Chinese font (assets/fonts, else the system's CJK font)."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont

from assets import cjk_font


def map_png(label: str = "物资发放点 · 东门", size: tuple[int, int] = (1200, 800)) -> bytes:
    width, height = size
    image = Image.new("RGB", size, (245, 241, 230))
    draw = ImageDraw.Draw(image)
    draw.rectangle((60, 60, width - 60, height - 60), outline=(90, 90, 90), width=10)  # the compound
    for column in range(3):
        for row in range(2):
            x, y = 160 + column * 300, 140 + row * 260
            draw.rectangle((x, y, x + 200, y + 150), fill=(200, 210, 225), outline=(60, 80, 110), width=4)
    pin = (width - 140, height // 2)
    draw.ellipse((pin[0] - 40, pin[1] - 40, pin[0] + 40, pin[1] + 40), fill=(200, 30, 30))
    path, index = cjk_font()
    font = ImageFont.truetype(str(path), 56, index=index)
    draw.text((100, height - 150), label, font=font, fill=(160, 20, 20))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
