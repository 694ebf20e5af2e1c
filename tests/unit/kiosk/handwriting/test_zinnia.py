"""The zinnia binding on strokes drawn here by hand (pad coordinates, y down), as a finger would:
many points along straight segments. The engine is the real libzinnia with Debian's model."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from kiosk.handwriting.recognizer import Ink, RecognizerUnavailable
from kiosk.handwriting.zinnia import ZinniaRecognizer

PAD = 300.0


def line(*corners: tuple[float, float], step: float = 6.0) -> list[tuple[float, float]]:
    """Points every ``step`` pad units along the segments through ``corners``."""
    points = [corners[0]]
    for (x0, y0), (x1, y1) in itertools.pairwise(corners):
        steps = max(1, round(max(abs(x1 - x0), abs(y1 - y0)) / step))
        points += [(x0 + (x1 - x0) * i / steps, y0 + (y1 - y0) * i / steps) for i in range(1, steps + 1)]
    return points


# Each character as a person writes it, stroke by stroke, in stroke order.
HANDWRITTEN = {
    "一": [line((40, 150), (260, 145))],
    "十": [line((40, 140), (260, 135)), line((150, 30), (152, 280))],
    # 口 is written smaller than the enclosure 囗, which fills the square
    "口": [line((95, 95), (98, 205)), line((95, 95), (205, 95), (202, 205)), line((98, 200), (202, 200))],
    "人": [line((150, 40), (140, 120), (60, 250)), line((142, 110), (200, 190), (260, 250))],
    "大": [line((40, 110), (260, 105)), line((150, 30), (130, 170), (50, 270)),
           line((150, 120), (210, 210), (265, 265))],
}


@pytest.fixture(scope="module")
def recognizer() -> ZinniaRecognizer:
    try:
        return ZinniaRecognizer()
    except RecognizerUnavailable as exc:  # scripts/setup installs both; say what is missing
        pytest.fail(f"handwriting engine missing: {exc}")


@pytest.mark.parametrize("char", list(HANDWRITTEN))
def test_a_handwritten_character_is_among_the_first_candidates(recognizer: ZinniaRecognizer,
                                                                char: str) -> None:
    candidates = recognizer.recognize(Ink(PAD, PAD, HANDWRITTEN[char]), limit=5)
    assert char in [c.text for c in candidates]
    scores = [c.score for c in candidates]
    assert scores == sorted(scores, reverse=True)


def test_the_same_character_on_a_larger_pad_reads_the_same(recognizer: ZinniaRecognizer) -> None:
    small = recognizer.recognize(Ink(PAD, PAD, HANDWRITTEN["大"]), limit=3)
    big = recognizer.recognize(Ink(PAD * 2, PAD * 2, [[(x * 2, y * 2) for x, y in s]
                                                      for s in HANDWRITTEN["大"]]), limit=3)
    assert [c.text for c in small] == [c.text for c in big]


def test_candidates_follow_the_strokes_written_so_far(recognizer: ZinniaRecognizer) -> None:
    ink = Ink(PAD, PAD)
    for stroke in HANDWRITTEN["十"]:
        for index, (x, y) in enumerate(stroke):
            ink.add_point(x, y, new_stroke=index == 0)
    assert "十" in [c.text for c in recognizer.recognize(ink, limit=5)]
    ink.undo()
    assert "一" in [c.text for c in recognizer.recognize(ink, limit=5)]


def test_no_ink_no_candidates(recognizer: ZinniaRecognizer) -> None:
    ink = Ink(PAD, PAD, [list(s) for s in HANDWRITTEN["口"]])
    ink.clear()
    assert ink.empty
    assert recognizer.recognize(ink) == []
    assert recognizer.recognize(Ink(PAD, PAD, HANDWRITTEN["口"]), limit=0) == []


def test_a_missing_model_is_reported_not_crashed_on(tmp_path: Path) -> None:
    with pytest.raises(RecognizerUnavailable, match="tegaki-zinnia"):
        ZinniaRecognizer(tmp_path / "none.model")
    broken = tmp_path / "broken.model"
    broken.write_bytes(b"not a model")
    with pytest.raises(RecognizerUnavailable, match="cannot open"):
        ZinniaRecognizer(broken)
