"""Every text colour on its background meets WCAG 2.2: 4.5:1 normally, 7:1 in 长辈模式; sizes meet
the kiosk's minimums (text 24 px / 36 px, touch targets 15 mm / 120 px)."""

from __future__ import annotations

import pytest

from kiosk.ui import theme

PAIRS = [(elderly, name) for elderly, palette in ((False, theme.NORMAL), (True, theme.ELDERLY))
         for name in sorted(theme.contrast_pairs(palette))]


@pytest.mark.parametrize(("elderly", "name"), PAIRS)
def test_text_contrast_meets_the_modes_bar(elderly: bool, name: str) -> None:
    palette = theme.ELDERLY if elderly else theme.NORMAL
    foreground, background = theme.contrast_pairs(palette)[name]
    assert theme.contrast(foreground, background) >= theme.MIN_CONTRAST[elderly]


@pytest.mark.parametrize("name", sorted(theme.CONTRAST_PAIRS))
def test_the_original_pairs_still_meet_4_5(name: str) -> None:
    foreground, background = theme.CONTRAST_PAIRS[name]
    assert theme.contrast(foreground, background) >= 4.5


def test_contrast_formula_matches_wcag_reference_values() -> None:
    black, white = theme.hex_color("#000000"), theme.hex_color("#FFFFFF")
    assert theme.contrast(black, white) == pytest.approx(21.0)
    assert theme.contrast(theme.hex_color("#767676"), white) == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize(("sizes", "font", "target"), [
    (theme.NORMAL_SIZES, 24, 15), (theme.ELDERLY_SIZES, 36, 15)])
def test_sizes_meet_the_minimums(sizes: theme.Sizes, font: float, target: float) -> None:
    assert min(sizes.font_small, sizes.font_body, sizes.font_large, sizes.font_title) >= font
    assert sizes.touch >= theme.mm(target)  # 15 mm on the densest supported panel (160 DPI)
    assert sizes.tiles <= 6


def test_elderly_mode_shows_fewer_larger_items() -> None:
    assert theme.ELDERLY_SIZES.tiles < theme.NORMAL_SIZES.tiles
    assert theme.ELDERLY_SIZES.touch > theme.NORMAL_SIZES.touch


def test_sizes_scale_up_on_taller_panels_but_never_down() -> None:
    try:
        theme.set_scale_for(600)
        assert theme.px(theme.TOUCH_MIN) == theme.TOUCH_MIN
        theme.set_scale_for(1080)
        assert theme.px(theme.TOUCH_MIN) == pytest.approx(129.6)
    finally:
        theme.set_scale_for(theme.BASE_HEIGHT)
