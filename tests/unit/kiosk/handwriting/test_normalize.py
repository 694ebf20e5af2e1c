"""The ink's normalisation before recognition: smoothed, fitted by its bounding box into the
model's square with the aspect kept; a character written smaller and off in a corner reads as the
same one written large in the middle."""

from __future__ import annotations

import pytest

from kiosk.handwriting.normalize import ends_in_walk, normalize, resample, smooth
from kiosk.handwriting.recognizer import Ink, RecognizerUnavailable
from kiosk.handwriting.zinnia import ZinniaRecognizer

from .test_zinnia import HANDWRITTEN, PAD, line


def test_a_stroke_keeps_its_ends_and_loses_its_tremor() -> None:
    shaky = [(float(x), 100.0 + (4 if x % 20 else -4)) for x in range(0, 201, 10)]
    smoothed = smooth(shaky)
    assert smoothed[0] == shaky[0] and smoothed[-1] == shaky[-1] and len(smoothed) == len(shaky)
    assert max(abs(y - 100) for _, y in smoothed[2:-2]) < 2


def test_the_character_is_centred_with_its_aspect_kept() -> None:
    wide = Ink(PAD, PAD, [[(10.0, 10.0), (110.0, 10.0)], [(10.0, 60.0), (110.0, 60.0)]])  # 100 × 50
    fitted = normalize(wide, 1000, reach=0, margin=0.2, least=0.1)
    xs = [x for s in fitted.strokes for x, _ in s]
    ys = [y for s in fitted.strokes for _, y in s]
    assert (min(xs), max(xs)) == pytest.approx((200, 800))
    assert (min(ys), max(ys)) == pytest.approx((350, 650))  # half as tall, centred
    assert normalize(Ink(PAD, PAD, [[(5.0, 5.0)]]), 1000, least=0).strokes == [[pytest.approx((1000 / 60, 1000 / 60))]]
    assert normalize(Ink(PAD, PAD), 1000).empty


def test_a_character_written_smaller_in_a_corner_reads_the_same() -> None:
    try:
        recognizer = ZinniaRecognizer()
    except RecognizerUnavailable as exc:
        pytest.fail(f"handwriting engine missing: {exc}")
    for char in ("十", "大", "人"):
        cornered = [[(125 + x * 0.6, 125 + y * 0.6) for x, y in s] for s in HANDWRITTEN[char]]
        assert char in [c.text for c in recognizer.recognize(Ink(PAD, PAD, cornered), limit=5)]


def test_the_sparse_reading_keeps_a_strokes_ends_with_points_evenly_apart() -> None:
    line = [(float(x), 50.0) for x in range(0, 101, 3)]
    sparse = resample(line, 25)
    assert sparse[0] == line[0] and sparse[-1] == line[-1]
    assert [round(x) for x, _ in sparse] == [0, 25, 50, 75, 99]
    assert resample([(1.0, 2.0)], 25) == [(1.0, 2.0)]


def test_a_character_ending_in_walk_is_told_from_one_that_does_not() -> None:
    strength = [line((130, 90), (260, 90), (250, 200)), line((190, 40), (140, 210))]  # 力
    walk = [line((50, 50), (65, 70)), line((40, 110), (90, 110), (60, 190), (75, 210)),
            line((40, 230), (150, 250), (280, 262))]  # 辶, written last
    assert ends_in_walk(Ink(PAD, PAD, strength + walk))
    assert not ends_in_walk(Ink(PAD, PAD, HANDWRITTEN["大"] + HANDWRITTEN["口"]))
    assert not ends_in_walk(Ink(PAD, PAD, walk))  # 辶 alone: nothing to move in front of it
