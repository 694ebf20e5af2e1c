"""Draw the kiosk's icons (run by hand: ``.venv/bin/python assets/images/draw_icons.py``).

Simple line art drawn with Pillow, so the project ships no third-party artwork. Tile icons are
white on transparent (Kivy tints them grey on unavailable tiles); illustrations use the kiosk's
dark blue. Drawn at 4x and scaled down for smooth edges.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).parent
SS = 4  # supersampling factor
WHITE = (255, 255, 255, 255)
BLUE = (11, 61, 145, 255)
LIGHT_BLUE = (196, 216, 242, 255)
GREY = (61, 69, 80, 255)
GREEN = (27, 107, 42, 255)
AMBER = (230, 150, 0, 255)
NONE = (0, 0, 0, 0)

Painter = Callable[[ImageDraw.ImageDraw, Callable[[float], int]], None]


def render(name: str, size: int, paint: Painter) -> None:
    """Paint on a ``size``-unit canvas (coordinates 0..100) and save ``name``."""
    big = size * SS
    image = Image.new("RGBA", (big, big), NONE)

    def u(value: float) -> int:  # 0..100 design units -> pixels
        return round(value * big / 100)

    paint(ImageDraw.Draw(image), u)
    image.resize((size, size), Image.Resampling.LANCZOS).save(HERE / name)


def certificate(d: ImageDraw.ImageDraw, u: Callable[[float], int]) -> None:
    d.rounded_rectangle((u(22), u(10), u(78), u(90)), radius=u(5), outline=WHITE, width=u(5))
    for y in (28, 40, 52):
        d.line((u(32), u(y), u(68), u(y)), fill=WHITE, width=u(4))
    d.ellipse((u(50), u(62), u(70), u(82)), outline=WHITE, width=u(4))


def requests(d: ImageDraw.ImageDraw, u: Callable[[float], int]) -> None:
    d.rounded_rectangle((u(12), u(18), u(88), u(68)), radius=u(10), outline=WHITE, width=u(5))
    d.polygon([(u(30), u(66)), (u(30), u(86)), (u(48), u(66))], fill=WHITE)
    for x in (33, 50, 67):
        d.ellipse((u(x - 4), u(39), u(x + 4), u(47)), fill=WHITE)


def progress(d: ImageDraw.ImageDraw, u: Callable[[float], int]) -> None:
    d.rounded_rectangle((u(24), u(16), u(76), u(90)), radius=u(5), outline=WHITE, width=u(5))
    d.rounded_rectangle((u(38), u(10), u(62), u(22)), radius=u(3), fill=WHITE)
    for y in (38, 56, 74):
        d.line((u(34), u(y), u(40), u(y + 6), u(48), u(y - 4)), fill=WHITE, width=u(4))
        d.line((u(54), u(y + 1), u(68), u(y + 1)), fill=WHITE, width=u(4))


def verify(d: ImageDraw.ImageDraw, u: Callable[[float], int]) -> None:
    for x, y in ((14, 14), (58, 14), (14, 58)):
        d.rectangle((u(x), u(y), u(x + 28), u(y + 28)), outline=WHITE, width=u(5))
        d.rectangle((u(x + 9), u(y + 9), u(x + 19), u(y + 19)), fill=WHITE)
    for x, y in ((60, 60), (74, 60), (60, 74), (76, 76), (68, 68)):
        d.rectangle((u(x), u(y), u(x + 9), u(y + 9)), fill=WHITE)


def notices(d: ImageDraw.ImageDraw, u: Callable[[float], int]) -> None:
    d.pieslice((u(24), u(16), u(76), u(68)), 180, 360, fill=WHITE)
    d.rectangle((u(24), u(42), u(76), u(70)), fill=WHITE)
    d.rounded_rectangle((u(14), u(68), u(86), u(76)), radius=u(3), fill=WHITE)
    d.ellipse((u(42), u(78), u(58), u(92)), fill=WHITE)
    d.ellipse((u(45), u(8), u(55), u(18)), fill=WHITE)


def help_(d: ImageDraw.ImageDraw, u: Callable[[float], int]) -> None:
    d.ellipse((u(12), u(12), u(88), u(88)), outline=WHITE, width=u(5))
    d.arc((u(36), u(26), u(64), u(54)), 190, 80, fill=WHITE, width=u(6))
    d.line((u(54), u(52), u(50), u(58), u(50), u(64)), fill=WHITE, width=u(6))
    d.ellipse((u(46), u(70), u(54), u(78)), fill=WHITE)


def idcard_reader(d: ImageDraw.ImageDraw, u: Callable[[float], int]) -> None:
    d.rounded_rectangle((u(20), u(8), u(80), u(44)), radius=u(4), fill=LIGHT_BLUE, outline=BLUE,
                        width=u(2))
    d.rectangle((u(26), u(15), u(42), u(35)), outline=BLUE, width=u(2))
    for y in (17, 24, 31):
        d.line((u(48), u(y), u(74), u(y)), fill=BLUE, width=u(2))
    d.polygon([(u(44), u(50)), (u(56), u(50)), (u(56), u(60)), (u(64), u(60)), (u(50), u(72)),
               (u(36), u(60)), (u(44), u(60))], fill=BLUE)
    d.rounded_rectangle((u(10), u(76), u(90), u(94)), radius=u(4), fill=GREY)
    d.rounded_rectangle((u(22), u(79), u(78), u(84)), radius=u(2), fill=LIGHT_BLUE)


def printer(d: ImageDraw.ImageDraw, u: Callable[[float], int]) -> None:
    d.rectangle((u(30), u(8), u(70), u(34)), fill=(255, 255, 255, 255), outline=BLUE, width=u(2))
    d.rounded_rectangle((u(12), u(30), u(88), u(68)), radius=u(6), fill=BLUE)
    d.rectangle((u(28), u(60), u(72), u(94)), fill=(255, 255, 255, 255), outline=BLUE, width=u(2))
    for y in (70, 78, 86):
        d.line((u(36), u(y), u(64), u(y)), fill=BLUE, width=u(2))
    d.ellipse((u(76), u(38), u(82), u(44)), fill=(120, 220, 140, 255))


def done(d: ImageDraw.ImageDraw, u: Callable[[float], int]) -> None:
    d.ellipse((u(6), u(6), u(94), u(94)), fill=GREEN)
    d.line((u(28), u(52), u(44), u(68), u(74), u(36)), fill=WHITE, width=u(9), joint="curve")


def warning(d: ImageDraw.ImageDraw, u: Callable[[float], int]) -> None:
    d.polygon([(u(50), u(6)), (u(96), u(90)), (u(4), u(90))], fill=AMBER)
    d.rounded_rectangle((u(45), u(32), u(55), u(66)), radius=u(4), fill=(26, 26, 26, 255))
    d.ellipse((u(44), u(72), u(56), u(84)), fill=(26, 26, 26, 255))


def scanner(d: ImageDraw.ImageDraw, u: Callable[[float], int]) -> None:
    d.rounded_rectangle((u(10), u(70), u(90), u(94)), radius=u(4), fill=GREY)  # the scanner
    d.polygon([(u(30), u(70)), (u(70), u(70)), (u(82), u(40)), (u(18), u(40))], fill=LIGHT_BLUE)
    d.rectangle((u(26), u(8), u(74), u(44)), fill=(255, 255, 255, 255), outline=BLUE, width=u(2))
    for x, y in ((30, 12), (58, 12), (30, 30)):  # a QR code's finder patterns
        d.rectangle((u(x), u(y), u(x + 12), u(y + 12)), outline=BLUE, width=u(2))
        d.rectangle((u(x + 4), u(y + 4), u(x + 8), u(y + 8)), fill=BLUE)
    for x, y in ((50, 30), (58, 34), (66, 30), (50, 38), (62, 38)):
        d.rectangle((u(x), u(y), u(x + 4), u(y + 4)), fill=BLUE)


def verdict_ok(d: ImageDraw.ImageDraw, u: Callable[[float], int]) -> None:
    d.ellipse((u(4), u(4), u(96), u(96)), fill=WHITE)
    d.line((u(26), u(52), u(44), u(70), u(76), u(32)), fill=GREEN, width=u(12), joint="curve")


def verdict_bad(d: ImageDraw.ImageDraw, u: Callable[[float], int]) -> None:
    d.ellipse((u(4), u(4), u(96), u(96)), fill=WHITE)
    red = (122, 0, 20, 255)
    d.line((u(30), u(30), u(70), u(70)), fill=red, width=u(12))
    d.line((u(70), u(30), u(30), u(70)), fill=red, width=u(12))


def verdict_warn(d: ImageDraw.ImageDraw, u: Callable[[float], int]) -> None:
    d.ellipse((u(4), u(4), u(96), u(96)), fill=(26, 26, 26, 255))
    d.rounded_rectangle((u(44), u(20), u(56), u(60)), radius=u(4), fill=WHITE)
    d.ellipse((u(43), u(67), u(57), u(81)), fill=WHITE)


# ---- request categories (white, tinted by the tile) ---------------------------------------------

def ticket_property_repairs(d: ImageDraw.ImageDraw, u: Callable[[float], int]) -> None:
    d.line((u(24), u(80), u(62), u(42)), fill=WHITE, width=u(9))  # a spanner
    d.ellipse((u(52), u(14), u(86), u(48)), outline=WHITE, width=u(8))
    d.rectangle((u(66), u(10), u(78), u(30)), fill=NONE)
    d.polygon([(u(64), u(8)), (u(80), u(8)), (u(72), u(28))], fill=NONE)
    d.ellipse((u(16), u(72), u(32), u(88)), fill=WHITE)


def ticket_environment(d: ImageDraw.ImageDraw, u: Callable[[float], int]) -> None:
    d.rounded_rectangle((u(28), u(30), u(72), u(90)), radius=u(4), outline=WHITE, width=u(6))  # a bin
    d.line((u(20), u(26), u(80), u(26)), fill=WHITE, width=u(6))
    d.rectangle((u(42), u(14), u(58), u(24)), outline=WHITE, width=u(4))
    for x in (40, 50, 60):
        d.line((u(x), u(40), u(x), u(80)), fill=WHITE, width=u(4))


def ticket_neighbour_dispute(d: ImageDraw.ImageDraw, u: Callable[[float], int]) -> None:
    for x in (30, 70):  # two people
        d.ellipse((u(x - 11), u(14), u(x + 11), u(36)), fill=WHITE)
        d.pieslice((u(x - 20), u(42), u(x + 20), u(96)), 180, 360, fill=WHITE)
    d.line((u(44), u(26), u(56), u(26)), fill=WHITE, width=u(4))
    d.line((u(44), u(34), u(56), u(34)), fill=WHITE, width=u(4))


def ticket_safety_hazard(d: ImageDraw.ImageDraw, u: Callable[[float], int]) -> None:
    d.polygon([(u(50), u(8)), (u(94), u(88)), (u(6), u(88))], outline=WHITE, width=u(7))
    d.rounded_rectangle((u(45), u(36), u(55), u(66)), radius=u(4), fill=WHITE)
    d.ellipse((u(44), u(71), u(56), u(83)), fill=WHITE)


def ticket_public_facilities(d: ImageDraw.ImageDraw, u: Callable[[float], int]) -> None:
    d.line((u(30), u(92), u(30), u(24)), fill=WHITE, width=u(7))  # a street lamp and a bench
    d.arc((u(30), u(10), u(66), u(40)), 180, 360, fill=WHITE, width=u(7))
    d.polygon([(u(56), u(24)), (u(76), u(24)), (u(72), u(34)), (u(60), u(34))], fill=WHITE)
    d.rectangle((u(46), u(64), u(92), u(70)), fill=WHITE)
    d.line((u(50), u(70), u(50), u(88)), fill=WHITE, width=u(5))
    d.line((u(88), u(70), u(88), u(88)), fill=WHITE, width=u(5))


def ticket_social_assistance(d: ImageDraw.ImageDraw, u: Callable[[float], int]) -> None:
    d.ellipse((u(12), u(16), u(52), u(56)), fill=WHITE)  # a heart
    d.ellipse((u(48), u(16), u(88), u(56)), fill=WHITE)
    d.polygon([(u(14), u(44)), (u(86), u(44)), (u(50), u(88))], fill=WHITE)


def ticket_suggestion(d: ImageDraw.ImageDraw, u: Callable[[float], int]) -> None:
    d.ellipse((u(26), u(8), u(74), u(56)), outline=WHITE, width=u(7))  # a light bulb
    d.rectangle((u(38), u(56), u(62), u(72)), outline=WHITE, width=u(6))
    d.line((u(40), u(82), u(60), u(82)), fill=WHITE, width=u(6))
    d.line((u(44), u(90), u(56), u(90)), fill=WHITE, width=u(6))


def ticket_praise(d: ImageDraw.ImageDraw, u: Callable[[float], int]) -> None:
    d.rounded_rectangle((u(14), u(46), u(30), u(90)), radius=u(3), fill=WHITE)  # a thumb up
    d.polygon([(u(36), u(46)), (u(52), u(10)), (u(62), u(16)), (u(58), u(42)), (u(84), u(42)),
               (u(88), u(52)), (u(80), u(88)), (u(36), u(88))], fill=WHITE)


def face(mouth: int) -> Painter:
    """A face for a rating level: ``mouth`` from 2 (a big smile) to -2 (a big frown)."""
    def paint(d: ImageDraw.ImageDraw, u: Callable[[float], int]) -> None:
        d.ellipse((u(6), u(6), u(94), u(94)), outline=WHITE, width=u(7))
        d.ellipse((u(31), u(32), u(41), u(42)), fill=WHITE)
        d.ellipse((u(59), u(32), u(69), u(42)), fill=WHITE)
        if mouth == 0:
            d.line((u(32), u(66), u(68), u(66)), fill=WHITE, width=u(7))
        elif mouth == 2:  # laughing: an open mouth
            d.chord((u(26), u(40), u(74), u(80)), 0, 180, fill=WHITE)
        elif mouth == 1:
            d.arc((u(28), u(48), u(72), u(70)), 20, 160, fill=WHITE, width=u(7))
        elif mouth == -1:
            d.arc((u(28), u(62), u(72), u(84)), 200, 340, fill=WHITE, width=u(7))
        else:  # very unhappy: an open, turned-down mouth and frowning brows
            d.chord((u(28), u(60), u(72), u(96)), 180, 360, fill=WHITE)
            d.line((u(26), u(24), u(42), u(30)), fill=WHITE, width=u(5))
            d.line((u(74), u(24), u(58), u(30)), fill=WHITE, width=u(5))
    return paint


def camera(d: ImageDraw.ImageDraw, u: Callable[[float], int]) -> None:
    d.rounded_rectangle((u(8), u(28), u(92), u(84)), radius=u(8), fill=BLUE)
    d.rectangle((u(34), u(18), u(62), u(30)), fill=BLUE)
    d.ellipse((u(32), u(38), u(68), u(74)), fill=LIGHT_BLUE, outline=WHITE, width=u(4))
    d.ellipse((u(74), u(36), u(84), u(46)), fill=WHITE)


ICONS: dict[str, tuple[int, Painter]] = {
    "ticket_property_repairs.png": (160, ticket_property_repairs),
    "ticket_environment.png": (160, ticket_environment),
    "ticket_neighbour_dispute.png": (160, ticket_neighbour_dispute),
    "ticket_safety_hazard.png": (160, ticket_safety_hazard),
    "ticket_public_facilities.png": (160, ticket_public_facilities),
    "ticket_social_assistance.png": (160, ticket_social_assistance),
    "ticket_suggestion.png": (160, ticket_suggestion), "ticket_praise.png": (160, ticket_praise),
    **{f"rate_{level}.png": (140, face(level - 3)) for level in range(1, 6)},
    "camera.png": (240, camera),
    "tile_certificate.png": (160, certificate), "tile_requests.png": (160, requests),
    "tile_progress.png": (160, progress), "tile_verify.png": (160, verify),
    "tile_notices.png": (160, notices), "tile_help.png": (160, help_),
    "idcard_reader.png": (420, idcard_reader), "printer.png": (320, printer),
    "done.png": (300, done), "warning.png": (200, warning), "scanner.png": (360, scanner),
    "verdict_ok.png": (160, verdict_ok), "verdict_bad.png": (160, verdict_bad),
    "verdict_warn.png": (160, verdict_warn),
}

if __name__ == "__main__":
    for file_name, (pixels, painter) in ICONS.items():
        render(file_name, pixels, painter)
