"""Colours and sizes for elderly eyes and fingers: high contrast (every text/background pair
listed in ``CONTRAST_PAIRS`` is at least 4.5:1, checked by a test), targets of at least 96 px
and text of at least 24 px on an 800-line window, scaled up on taller panels. Kivy-free.
"""

from __future__ import annotations

Color = tuple[float, float, float, float]


def hex_color(value: str) -> Color:
    """Return an RGBA tuple (0..1) for ``#RRGGBB``."""
    value = value.lstrip("#")
    r, g, b = (int(value[i:i + 2], 16) / 255 for i in (0, 2, 4))
    return (r, g, b, 1.0)


BACKGROUND = hex_color("#F2F4F7")
SURFACE = hex_color("#FFFFFF")
TEXT = hex_color("#1A1A1A")
TEXT_MUTED = hex_color("#3D4550")
HEADER = hex_color("#0B3D91")
ON_DARK = hex_color("#FFFFFF")
PRIMARY = hex_color("#0A58B8")
PRIMARY_DOWN = hex_color("#06346E")
SECONDARY_DOWN = hex_color("#C9D8EE")
OUTLINE = hex_color("#0B3D91")
DISABLED = hex_color("#D5D9DF")
ON_DISABLED = hex_color("#383E46")
SUCCESS = hex_color("#1B6B2A")
DANGER = hex_color("#A3001B")
WARNING_BG = hex_color("#FFE08A")
NOTICE_BG = hex_color("#FFF4E5")
SCRIM = (0.0, 0.0, 0.0, 0.55)

# (foreground, background) pairs the screens use for text.
CONTRAST_PAIRS: dict[str, tuple[Color, Color]] = {
    "body": (TEXT, BACKGROUND),
    "muted": (TEXT_MUTED, BACKGROUND),
    "card": (TEXT, SURFACE),
    "card_muted": (TEXT_MUTED, SURFACE),
    "header": (ON_DARK, HEADER),
    "on_dark_pressed": (ON_DARK, PRIMARY_DOWN),
    "primary": (ON_DARK, PRIMARY),
    "primary_pressed": (ON_DARK, PRIMARY_DOWN),
    "secondary": (OUTLINE, SURFACE),
    "secondary_pressed": (OUTLINE, SECONDARY_DOWN),
    "disabled": (ON_DISABLED, DISABLED),
    "success": (ON_DARK, SUCCESS),
    "danger_text": (DANGER, SURFACE),
    "danger_on_background": (DANGER, BACKGROUND),
    "danger_on_notice": (DANGER, NOTICE_BG),
    "warning": (TEXT, WARNING_BG),
    "notice": (TEXT, NOTICE_BG),
}

BASE_HEIGHT = 800  # sizes below are for this many window lines
_scale = 1.0


def set_scale_for(window_height: float) -> float:
    """Scale sizes for a window of this height (never below the 800-line sizes)."""
    global _scale
    _scale = min(max(window_height / BASE_HEIGHT, 1.0), 2.5)
    return _scale


def px(value: float) -> float:
    """Return a size in window pixels."""
    return value * _scale


# Sizes on an 800-line window.
FONT_TITLE = 40
FONT_LARGE = 34
FONT_BODY = 28
FONT_SMALL = 24  # the smallest text on any screen
TOUCH_MIN = 96  # ≥ 15 mm on a typical 21.5" 1080-line kiosk panel once scaled
BAR_HEIGHT = 112
NAV_HEIGHT = 124
PADDING = 28
SPACING = 20
RADIUS = 14


def relative_luminance(color: Color) -> float:
    """Return WCAG 2 relative luminance."""
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in color[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(foreground: Color, background: Color) -> float:
    """Return the WCAG contrast ratio of two colours (1..21)."""
    a, b = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)
