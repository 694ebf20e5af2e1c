"""Colours and sizes for elderly eyes and fingers, in two modes: normal (every text/background
pair at least 4.5:1, text at least 24 px, targets at least 96 px on an 800-line window) and
长辈模式 elderly mode (at least 7:1, text at least 36 px, targets at least 120 px). Sizes scale up
on taller panels. ``kiosk.ui.style`` turns the current mode into Kivy properties. Kivy-free.

Touch targets: 15 mm is 94.5 px on a panel of 160 DPI; a 10.1-inch 1280x800 panel (the densest
this kiosk is meant for) has 149 DPI, a 15.6-inch one 97 DPI, so 96 px is at least 15 mm on all.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

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



@dataclass(frozen=True)
class Palette:
    background: Color
    surface: Color
    text: Color
    text_muted: Color
    header: Color
    on_dark: Color
    primary: Color
    primary_down: Color
    secondary_down: Color
    outline: Color
    disabled: Color
    on_disabled: Color
    success: Color
    danger: Color
    warning_bg: Color
    notice_bg: Color

    def as_dict(self) -> dict[str, Color]:
        return asdict(self)


NORMAL = Palette(BACKGROUND, SURFACE, TEXT, TEXT_MUTED, HEADER, ON_DARK, PRIMARY, PRIMARY_DOWN,
                 SECONDARY_DOWN, OUTLINE, DISABLED, ON_DISABLED, SUCCESS, DANGER, WARNING_BG,
                 NOTICE_BG)
# Elderly mode: darker inks on white, for 7:1 everywhere.
ELDERLY = Palette(
    background=hex_color("#FFFFFF"), surface=hex_color("#FFFFFF"), text=hex_color("#000000"),
    text_muted=hex_color("#2B2F36"), header=hex_color("#082C69"), on_dark=hex_color("#FFFFFF"),
    primary=hex_color("#0B3D91"), primary_down=hex_color("#051D45"),
    secondary_down=hex_color("#D6E2F3"), outline=hex_color("#082C69"), disabled=hex_color("#E3E6EA"),
    on_disabled=hex_color("#1F2329"), success=hex_color("#0E4A1B"), danger=hex_color("#7A0014"),
    warning_bg=hex_color("#FFE08A"), notice_bg=hex_color("#FFF4E5"))


def contrast_pairs(p: Palette) -> dict[str, tuple[Color, Color]]:
    """Return the (foreground, background) pairs the screens use for text in a palette."""
    return {
        "body": (p.text, p.background), "muted": (p.text_muted, p.background),
        "card": (p.text, p.surface), "card_muted": (p.text_muted, p.surface),
        "header": (p.on_dark, p.header), "primary": (p.on_dark, p.primary),
        "primary_pressed": (p.on_dark, p.primary_down), "secondary": (p.outline, p.surface),
        "secondary_pressed": (p.outline, p.secondary_down), "disabled": (p.on_disabled, p.disabled),
        "success": (p.on_dark, p.success), "danger_banner": (p.on_dark, p.danger),
        "danger_text": (p.danger, p.surface), "danger_on_background": (p.danger, p.background),
        "danger_on_notice": (p.danger, p.notice_bg), "warning": (p.text, p.warning_bg),
        "notice": (p.text, p.notice_bg), "muted_on_notice": (p.text_muted, p.notice_bg),
    }


@dataclass(frozen=True)
class Sizes:
    font_title: float
    font_large: float
    font_body: float
    font_small: float  # the smallest text on any screen
    touch: float  # the smallest touch target
    tile_columns: int  # home tiles per row
    tiles: int  # at most this many home tiles


NORMAL_SIZES = Sizes(40, 34, 28, 24, 96, 3, 6)
ELDERLY_SIZES = Sizes(42, 40, 38, 36, 100, 2, 4)  # fewer, larger items
MIN_CONTRAST = {False: 4.5, True: 7.0}  # WCAG 2.2 AA; AAA (7:1) in elderly mode
MAX_PANEL_DPI = 160


def mm(value: float) -> float:
    """Return ``value`` millimetres in window pixels on the densest supported panel."""
    return value / 25.4 * MAX_PANEL_DPI


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
