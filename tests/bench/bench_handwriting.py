"""Benchmark handwriting recognition (zinnia, ``kiosk.handwriting``) on stroke data written by
others: the stroke medians of the ``hanzi-writer-data`` npm package (derived from Make Me a Hanzi),
fed as a finger on the kiosk's pad would draw them.

    .venv/bin/python tests/bench/bench_handwriting.py [--chars FILE] [--data DIR] [--seeds 2]
    (or: kiosk bench handwriting)

Characters: by default level 1 of GB 2312 (3,755 common characters, taken from Python's own gb2312
codec, rows 16–55), because no package on the registries this project uses ships the list of the
3,500 level-1 characters of the 通用规范汉字表; ``--chars FILE`` runs any list (one file of
characters, e.g. that table) instead. Stroke data: ``npm pack hanzi-writer-data`` into a cache
folder the first time (or ``--data`` a folder of its JSON files).

Each character's medians (a 1024 box, y up) are flipped to pad coordinates, scaled to a 600 px pad
(the elderly pad is larger; zinnia scales anyway), resampled every 8 px along the stroke (a finger's
touch events at 60 Hz), then, for the jittered runs: a random affine distortion of the whole
character (scale ±12 % per axis, rotation ±6°, shear ±0.1, shift ±5 % of the pad), a shift of each
stroke (±2.5 %), and noise on each point (σ 1 % of the pad). Reported: top-1 and top-5 accuracy,
and milliseconds per recognition (median, p95). Measures only; never passes or fails.

The recognizer smooths and fits the ink to its square (``kiosk.handwriting.normalize``) three ways
(``READINGS``), asks zinnia for 20 candidates of each and adds up their scores; when the ink ends in
what looks like 辶 (``ends_in_walk``) it is read once more with those three strokes first, as the
model learnt 辶, counting 5 times. ``--raw`` measures the ink as written, once. Tuning and
measuring are kept apart: ``--tune`` (the normalisation's grid, then each reading alone and fused)
runs seed 100 on the characters at EVEN positions only; the report gives the characters at ODD
positions (held out: never tuned on) and, for comparison, all of them, on the medians and seeds
1..N.

One run, machine shared (other test runs beside it):
  held out (1,877): medians top-1 77.9 % / top-5 88.3 %; jittered seeds 1–2: top-1 76.8–77.1 %,
                    top-5 87.3–87.7 %
  all (3,755):      medians 78.1 % / 88.9 %; jittered 77.5–77.9 % / 88.3–88.4 %
  per character 21.5–22.2 ms median, p95 28–29 ms
  (before, one reading: held out medians 75.9 % / 86.4 %, jittered 73.8–74.5 % / 85.3–85.4 %;
  8–9 ms; three readings without the 辶 one: held out jittered 76.1–76.6 % / 86.0–86.3 %)
Goal top-5 ≥ 90 % on jittered strokes: not met. What limits it is zinnia's model (tuning split,
seed 100, 1,878 characters, one reading): 260 misses, 160 of them not even among its first 20
candidates (20 candidates: 91.5 %); the first five of ANY of seven readings tried: 88.7 %. Many
misses are stroke-order mismatches: the model reads 辶 as written FIRST — 边 迟 达 递 过 返 遁 (and
半) are found when the last three strokes are moved to the front (46 characters come first in that
order); fused for every character that reading gained 0.2 pt (its scores do not tell a right
reordering from a wrong one), so it is used only when the ink ends in 辶 (tuning split: 87.1 % →
88.6 %). Other misses: 北→彐, 单→卓, 电→叽, 鬼→芜. Preferring GB 2312 level-1 characters among the
candidates reached 88–89 % on the tuning split but favours the benchmark's own list, so it is
not used.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import random
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from kiosk.handwriting.recognizer import Ink, Point
from kiosk.handwriting.zinnia import MODEL_SIZE, ZinniaRecognizer

PACKAGE = "hanzi-writer-data@2.0.1"
CACHE = Path.home() / ".cache" / "kiosk-bench" / "hanzi-writer-data-2.0.1"
PAD = 600.0
STEP = 8.0  # pad px between touch events
BOX, TOP = 1024.0, 900.0  # hanzi-writer's coordinate box; y = 900 is the top edge


def gb2312_level1() -> str:
    """The 3,755 characters of GB 2312 level 1 (rows 16–55), from the codec itself."""
    chars = []
    for row in range(0xB0, 0xD8):
        for cell in range(0xA1, 0xFF):
            try:
                chars.append(bytes((row, cell)).decode("gb2312"))
            except UnicodeDecodeError:
                continue  # row 55 ends at cell 89
    return "".join(chars)


def stroke_data(folder: Path | None) -> Path:
    if folder is not None:
        return folder
    if not (CACHE / "中.json").is_file():
        CACHE.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as tmp:
            print(f"fetching {PACKAGE} with npm …", file=sys.stderr, flush=True)
            subprocess.run(["npm", "pack", "--silent", PACKAGE], cwd=tmp, check=True,
                           stdout=subprocess.DEVNULL)
            tarball = next(Path(tmp).glob("*.tgz"))
            with tarfile.open(tarball) as archive:
                archive.extractall(tmp, filter="data")
            (Path(tmp) / "package").rename(CACHE)
    return CACHE


def resample(points: list[Point], step: float) -> list[Point]:
    """Points every ``step`` along the polyline (its ends kept), as touch events would come."""
    out = [points[0]]
    carry = 0.0
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        length = math.hypot(x1 - x0, y1 - y0)
        position = step - carry
        while position <= length:
            t = position / length
            out.append((x0 + (x1 - x0) * t, y0 + (y1 - y0) * t))
            position += step
        carry = (carry + length) % step
    if out[-1] != points[-1]:
        out.append(points[-1])
    return out


def as_drawn(medians: list[list[list[float]]], rng: random.Random | None) -> Ink:
    scale = PAD / BOX
    strokes = [[(x * scale, (TOP - y) * scale) for x, y in median] for median in medians]
    if rng is not None:
        sx, sy = rng.uniform(0.88, 1.12), rng.uniform(0.88, 1.12)
        angle, shear = math.radians(rng.uniform(-6, 6)), rng.uniform(-0.1, 0.1)
        dx, dy = rng.uniform(-0.05, 0.05) * PAD, rng.uniform(-0.05, 0.05) * PAD
        c = PAD / 2
        cos, sin = math.cos(angle), math.sin(angle)

        def warp(x: float, y: float, ox: float, oy: float) -> Point:
            x, y = (x - c) * sx + shear * (y - c) * sy, (y - c) * sy
            return (c + cos * x - sin * y + dx + ox, c + sin * x + cos * y + dy + oy)

        moved = []
        for stroke in strokes:
            ox, oy = rng.uniform(-0.025, 0.025) * PAD, rng.uniform(-0.025, 0.025) * PAD
            moved.append([warp(x, y, ox, oy) for x, y in stroke])
        strokes = moved
    strokes = [resample(s, STEP) for s in strokes]
    if rng is not None:
        sigma = 0.01 * PAD
        strokes = [[(x + rng.gauss(0, sigma), y + rng.gauss(0, sigma)) for x, y in s] for s in strokes]
    return Ink(PAD, PAD, strokes)


TUNING_SEED = 100


def tune(samples: dict[str, list[list[list[float]]]]) -> None:
    """Top-1/top-5 over a grid of the normalisation's parameters, on the tuning seed and half of
    the characters (every other one)."""
    from kiosk.handwriting import normalize

    subset = dict(list(samples.items())[::2])
    print(f"tuning: seed {TUNING_SEED}, {len(subset)} characters\n")
    print("| smoothing reach | margin | top-1 | top-5 |\n|---|---|---|---|")
    recognizer = ZinniaRecognizer(normalized=False)  # (normalised here, with each pair)
    for reach, margin in itertools.product((0, 1, 2, 3), (0.1, 0.15, 0.2, 0.25)):
        def prepare(ink: Ink, reach: int = reach, margin: float = margin) -> Ink:
            return normalize.normalize(ink, MODEL_SIZE, reach=reach, margin=margin)

        r = run(recognizer, subset, TUNING_SEED, prepare)
        print(f"| {reach} | {margin} | {r['top1']:.1%} | {r['top5']:.1%} |", flush=True)
    print("\n| reading (normalize.READINGS) | top-1 | top-5 |\n|---|---|---|")
    for name, reading in normalize.READINGS.items():
        def read(ink: Ink, reading: Callable[[Ink, float], Ink] = reading) -> Ink:
            return reading(ink, MODEL_SIZE)

        r = run(recognizer, subset, TUNING_SEED, read)
        print(f"| {name} alone | {r['top1']:.1%} | {r['top5']:.1%} |", flush=True)
    r = run(ZinniaRecognizer(), subset, TUNING_SEED)
    print(f"| all {len(normalize.READINGS)}, scores added, + 辶 first when the ink ends in 辶 (the recognizer) | {r['top1']:.1%} | {r['top5']:.1%} |")


def run(recognizer: ZinniaRecognizer, samples: dict[str, list[list[list[float]]]],
        seed: int | None, prepare: Callable[[Ink], Ink] | None = None) -> dict[str, Any]:
    rng = random.Random(seed) if seed is not None else None
    hits: dict[str, tuple[bool, bool]] = {}
    times = []
    for char, medians in samples.items():
        ink = as_drawn(medians, rng)
        started = time.perf_counter()
        candidates = recognizer.recognize(prepare(ink) if prepare else ink, limit=5)
        times.append(time.perf_counter() - started)
        texts = [c.text for c in candidates]
        hits[char] = (bool(texts) and texts[0] == char, char in texts)
    times.sort()
    return {**score(hits, list(samples)), "median_ms": statistics.median(times) * 1000,
            "p95_ms": times[round(0.95 * (len(times) - 1))] * 1000, "hits": hits}


def score(hits: dict[str, tuple[bool, bool]], chars: list[str]) -> dict[str, float]:
    return {"top1": sum(hits[c][0] for c in chars) / len(chars),
            "top5": sum(hits[c][1] for c in chars) / len(chars)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=Path, help="a file of the characters to test (default GB 2312 level 1)")
    parser.add_argument("--data", type=Path, help="a folder of hanzi-writer-data JSON files")
    parser.add_argument("--seeds", type=int, default=2, help="jittered runs (seeds 1..N)")
    parser.add_argument("--raw", action="store_true", help="without the recognizer's normalisation")
    parser.add_argument("--tune", action="store_true", help="the normalisation's parameter grid (seed 100)")
    args = parser.parse_args()
    chars = (args.chars.read_text(encoding="utf-8") if args.chars else gb2312_level1())
    chars = "".join(dict.fromkeys(c for c in chars if not c.isspace()))
    folder = stroke_data(args.data)
    samples = {}
    for char in chars:
        path = folder / f"{char}.json"
        if path.is_file():
            samples[char] = json.loads(path.read_text(encoding="utf-8"))["medians"]
    missing = len(chars) - len(samples)
    if args.tune:
        tune(samples)
        return
    recognizer = ZinniaRecognizer(normalized=not args.raw)
    print(f"recognizer: zinnia, {'ink as written' if args.raw else 'smoothed and fitted 3 ways, scores added (normalize.READINGS)'}")
    print(f"{len(samples)} characters with stroke data ({missing} without); pad {PAD:.0f} px, "
          f"a point every {STEP:.0f} px\n")
    held_out = list(samples)[1::2]  # the characters --tune never sees
    print(f"held out: the {len(held_out)} characters at odd positions, never used by --tune "
          "(which tunes on the even ones, seed 100)\n")
    print("| strokes | held out top-1 | held out top-5 | all top-1 | all top-5 | ms median | ms p95 |\n"
          "|---|---|---|---|---|---|---|")
    for label, seed in [("medians, resampled", None)] + [(f"jittered (seed {s})", s)
                                                          for s in range(1, args.seeds + 1)]:
        r = run(recognizer, samples, seed)
        h = score(r["hits"], held_out)
        print(f"| {label} | {h['top1']:.1%} | {h['top5']:.1%} | {r['top1']:.1%} | {r['top5']:.1%} "
              f"| {r['median_ms']:.1f} | {r['p95_ms']:.1f} |", flush=True)


if __name__ == "__main__":
    main()
