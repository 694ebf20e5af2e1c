"""The second reading of the ink, by its shape: drawn into a small image and compared with the
glyphs of the fonts Debian ships (``kiosk.handwriting.shapes``), fused with zinnia
(``kiosk.handwriting.fused``); without the fonts the pad still works, with zinnia alone."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest
from PIL import ImageFont

from kiosk.handwriting import shapes
from kiosk.handwriting.fused import FusedRecognizer, fuse
from kiosk.handwriting.recognizer import Ink, RecognizerUnavailable
from kiosk.handwriting.zinnia import ZinniaRecognizer

from .test_zinnia import HANDWRITTEN, PAD

# Look-alikes among them: 大 太 犬 夫 天, 十 土 士 干, 口 日 曰 囗, 人 入 八, 一 二.
CHARS = "一二十土士干口日曰囗人入八大太犬夫天木本"


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> shapes.FontTemplates:
    try:
        return shapes.FontTemplates(chars=CHARS, cache=tmp_path_factory.mktemp("templates"))
    except RecognizerUnavailable as exc:  # scripts/setup installs fonts-noto-cjk
        pytest.fail(f"handwriting fonts missing: {exc}")


def test_the_feature_is_the_same_for_the_same_ink_and_unit_long() -> None:
    ink = Ink(PAD, PAD, HANDWRITTEN["大"])
    first, again = shapes.features(shapes.render_ink(ink)), shapes.features(shapes.render_ink(ink))
    assert first.shape == (shapes.DIRECTIONS * shapes.GRID * shapes.GRID,)
    assert np.array_equal(first, again)
    assert float(np.linalg.norm(first)) == pytest.approx(1.0, abs=1e-5)
    # where and how large it was written does not matter (the ink is fitted by its box)
    moved = Ink(PAD * 2, PAD * 2, [[(x + 100, y + 50) for x, y in s] for s in HANDWRITTEN["大"]])
    assert float(first @ shapes.features(shapes.render_ink(moved))) > 0.99


def test_a_font_glyph_is_most_like_itself(templates: shapes.FontTemplates) -> None:
    path, index = templates.fonts[0]
    font = ImageFont.truetype(str(path), shapes.SIZE * shapes.HIRES, index=index)
    for char in CHARS:
        image = shapes.render_glyph(font, char)
        assert image is not None
        scores = templates.matrix[:len(CHARS)] @ shapes.features(image)
        assert CHARS[int(np.argmax(scores))] == char


@pytest.mark.parametrize("char", list(HANDWRITTEN))
def test_handwriting_is_among_the_glyphs_most_like_it(templates: shapes.FontTemplates, char: str) -> None:
    # (the shape is fitted by its box: 口 written small and the enclosure 囗 look alike to it)
    best = templates.top(Ink(PAD, PAD, HANDWRITTEN[char]), limit=2)
    assert char in [c for c, _ in best]
    assert [s for _, s in best] == sorted((s for _, s in best), reverse=True)


def test_the_templates_are_read_back_from_the_cache(tmp_path: Path) -> None:
    built = shapes.FontTemplates(chars="大小", cache=tmp_path)
    assert len(list(tmp_path.glob("templates-*.npy"))) == 1
    again = shapes.FontTemplates(chars="大小", cache=tmp_path)
    assert np.allclose(built.matrix, again.matrix, atol=1e-3)
    next(tmp_path.glob("templates-*.npy")).write_bytes(b"broken")  # a damaged cache is rebuilt
    assert np.allclose(shapes.FontTemplates(chars="大小", cache=tmp_path).matrix, built.matrix, atol=1e-3)


def test_a_candidate_both_readings_offer_comes_before_one_only_one_offers() -> None:
    ranked = fuse([("太", 3.0), ("大", 2.8)], [("犬", 0.80), ("大", 0.79)])
    assert ranked[0][0] == "大"


def test_fused_with_the_fonts_a_handwritten_character_is_among_the_first(
        templates: shapes.FontTemplates) -> None:
    recognizer = FusedRecognizer(ZinniaRecognizer(), templates)
    for char, strokes in HANDWRITTEN.items():
        candidates = recognizer.recognize(Ink(PAD, PAD, strokes), limit=5)
        assert char in [c.text for c in candidates[:2]]  # (口 after 囗, as zinnia alone has it)
        assert [c.score for c in candidates] == sorted((c.score for c in candidates), reverse=True)
    assert recognizer.recognize(Ink(PAD, PAD), limit=5) == []


def test_without_the_fonts_zinnia_answers_alone(monkeypatch: pytest.MonkeyPatch,
                                                caplog: pytest.LogCaptureFixture) -> None:
    absent = ((Path("/nonexistent/font.ttc"), 0),)
    monkeypatch.setattr(shapes, "FONTS", absent)
    monkeypatch.setattr(shapes, "FALLBACK_FONTS", absent)
    with pytest.raises(RecognizerUnavailable, match="fonts-noto-cjk"):
        shapes.FontTemplates()
    with caplog.at_level(logging.WARNING, logger="kiosk.handwriting.fused"):
        recognizer = FusedRecognizer(background=False)
    assert recognizer.templates is None
    assert "zinnia alone" in caplog.text
    zinnia = ZinniaRecognizer()
    ink = Ink(PAD, PAD, HANDWRITTEN["大"])
    assert recognizer.recognize(ink, limit=5) == zinnia.recognize(ink, limit=5)
