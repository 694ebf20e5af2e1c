"""Keep the decoder benchmark runnable: a tiny run of the real script's pieces."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_decoders
import decoder_frames

from devices.scanner.decoder import Decoder, PyzbarDecoder, ZxingDecoder


def test_frames_are_reproducible_and_camera_sized() -> None:
    first = list(decoder_frames.generate(1, seed=5))
    again = list(decoder_frames.generate(1, seed=5))
    assert [f.category for f in first] == list(decoder_frames.CATEGORIES)
    assert all(f.image.size == (640, 480) for f in first)
    assert [f.image.tobytes() for f in first] == [f.image.tobytes() for f in again]
    base45 = next(f for f in first if f.category == "base45_q")
    assert len(base45.payload) == 516 and base45.payload.startswith(b"ZM1:")


def test_small_run_prints_a_row_per_category_and_picks_a_decoder() -> None:
    frames = [f for f in decoder_frames.generate(1, seed=5) if f.category != "blurred"]
    decoders: list[Decoder] = [PyzbarDecoder(), ZxingDecoder()]
    tallies = bench_decoders.run(decoders, frames, repeats=1)
    names = [d.name for d in decoders]
    rows = bench_decoders.table(tallies, names)
    assert len(rows) == 2 + len(frames) + 1
    assert all(tallies[f.category][n].reads == 1 for f in frames for n in names)
    assert bench_decoders.choose(tallies, names) in names


def test_p95_is_nearest_rank() -> None:
    assert bench_decoders.p95([float(v) for v in range(1, 101)]) == 95.0
    assert bench_decoders.p95([3.0]) == 3.0
