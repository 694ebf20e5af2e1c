"""Every text colour on its background meets WCAG's 4.5:1; sizes meet the kiosk's minimums."""

from __future__ import annotations

import pytest

from kiosk.ui import theme


@pytest.mark.parametrize("name", sorted(theme.CONTRAST_PAIRS))
def test_text_contrast_is_at_least_4_5(name: str) -> None:
    foreground, background = theme.CONTRAST_PAIRS[name]
    assert theme.contrast(foreground, background) >= 4.5


def test_contrast_formula_matches_wcag_reference_values() -> None:
    black, white = theme.hex_color("#000000"), theme.hex_color("#FFFFFF")
    assert theme.contrast(black, white) == pytest.approx(21.0)
    assert theme.contrast(theme.hex_color("#767676"), white) == pytest.approx(4.54, abs=0.01)


def test_sizes_scale_up_on_taller_panels_but_never_down() -> None:
    try:
        theme.set_scale_for(600)
        assert theme.px(theme.TOUCH_MIN) == theme.TOUCH_MIN
        theme.set_scale_for(1080)
        assert theme.px(theme.TOUCH_MIN) == pytest.approx(129.6)
    finally:
        theme.set_scale_for(theme.BASE_HEIGHT)
    assert theme.FONT_SMALL >= 24 and theme.TOUCH_MIN >= 90
