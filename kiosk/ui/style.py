"""The current mode's colours and sizes as Kivy properties: kv rules written ``S.font_body`` or
``S.text`` re-render when 长辈模式 (elderly mode) is switched on or off, without rebuilding."""

from __future__ import annotations

from kivy.event import EventDispatcher
from kivy.properties import BooleanProperty, ColorProperty, NumericProperty

from . import theme

_RENAMED = {"disabled": "disabled_fill", "on_disabled": "disabled_ink"}


class Style(EventDispatcher):
    elderly = BooleanProperty(False)
    font_title = NumericProperty(theme.FONT_TITLE)
    font_large = NumericProperty(theme.FONT_LARGE)
    font_body = NumericProperty(theme.FONT_BODY)
    font_small = NumericProperty(theme.FONT_SMALL)
    touch = NumericProperty(theme.TOUCH_MIN)
    tile_columns = NumericProperty(3)
    tiles = NumericProperty(6)
    background = ColorProperty(theme.BACKGROUND)
    surface = ColorProperty(theme.SURFACE)
    text = ColorProperty(theme.TEXT)
    text_muted = ColorProperty(theme.TEXT_MUTED)
    header = ColorProperty(theme.HEADER)
    on_dark = ColorProperty(theme.ON_DARK)
    primary = ColorProperty(theme.PRIMARY)
    primary_down = ColorProperty(theme.PRIMARY_DOWN)
    secondary_down = ColorProperty(theme.SECONDARY_DOWN)
    outline = ColorProperty(theme.OUTLINE)
    # (not "disabled"/"on_disabled": Kivy would take on_disabled for the handler of disabled)
    disabled_fill = ColorProperty(theme.DISABLED)
    disabled_ink = ColorProperty(theme.ON_DISABLED)
    success = ColorProperty(theme.SUCCESS)
    danger = ColorProperty(theme.DANGER)
    warning_bg = ColorProperty(theme.WARNING_BG)
    notice_bg = ColorProperty(theme.NOTICE_BG)

    def apply(self, elderly: bool) -> None:
        """Switch every colour and size to the mode's (and the window's scale)."""
        palette = theme.ELDERLY if elderly else theme.NORMAL
        sizes = theme.ELDERLY_SIZES if elderly else theme.NORMAL_SIZES
        for name, color in palette.as_dict().items():
            setattr(self, _RENAMED.get(name, name), color)
        for name in ("font_title", "font_large", "font_body", "font_small", "touch"):
            setattr(self, name, theme.px(getattr(sizes, name)))
        self.tile_columns, self.tiles = sizes.tile_columns, sizes.tiles
        self.elderly = elderly


S = Style()
