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

The recognizer (``kiosk.handwriting.fused``) reads the ink two ways and fuses them:
- zinnia: smoothed and fitted to its square (``kiosk.handwriting.normalize``) three ways
  (``READINGS``), 20 candidates of each, their scores added; when the ink ends in what looks like
  辶 (``ends_in_walk``) it is read once more with those three strokes first, as the model learnt
  辶, counting 5 times. ``--zinnia`` measures this part alone, ``--raw`` the ink as written, once.
- its shape, stroke order ignored (``kiosk.handwriting.shapes``): smoothed, drawn 3 % of the
  square wide into a 64 px image, gradient directions (8) on an 8 × 8 grid, cosine with the
  glyphs of the 6,763 characters of GB 2312 (levels 1 and 2) in Noto Sans CJK SC and Noto Serif
  CJK SC (Debian's fonts-noto-cjk); its first 20.
- fused: zinnia's first 20 and the shapes' first 20, each scored 0.45 × zinnia / zinnia's best
  + 0.55 × exp((similarity − best similarity) / 0.04).
Tuning and measuring are kept apart: ``--tune`` (the normalisation's grid, each reading alone and
fused, then the fusion's weight and spread; ``--tune fusion`` that last grid only) runs seed 100
on the characters at EVEN positions only; the report gives the characters at ODD positions (held
out: never tuned on) and, for comparison, all of them, on the medians and seeds 1..N.

One run, load average 2.0–2.3 (2 cores, shared):
  held out (1,877): medians top-1 90.7 % / top-5 97.5 %; jittered seeds 1–2: top-1 87.3–87.4 %,
                    top-5 95.5–96.0 %
  all (3,755):      medians 91.3 % / 97.9 %; jittered 87.7–87.8 % / 95.8–96.5 %
  per character 25.6–27.1 ms median, p95 33.5–33.7 ms jittered (55.9 on the medians, with a test
  run beside it)
  zinnia alone (--zinnia; what the pad had before): held out medians 77.9 % / 88.3 %, jittered
  76.8–77.1 % / 87.3–87.7 % (all: 78.1 % / 88.9 %; 77.5–77.9 % / 88.3–88.4 %), 22.5–22.9 ms
  median jittered, p95 31.6 ms (run just after, load 1.0–2.3): the shapes add 3–4 ms
  (one reading only, before that: held out jittered 73.8–74.5 % / 85.3–85.4 %, 8–9 ms)
Goal top-5 ≥ 90 % on jittered strokes, ≤ 50 ms: met on these strokes. Tuning split (seed 100,
1,878 characters): zinnia alone 78.3 % / 88.6 %, the shapes alone 51.2 % / 71.4 %, fused 88.2 % /
96.5 %; zinnia's first 20 hold the character 91.5 % of the time, zinnia's and the shapes' first 20
together 99.1 %. The two err differently: zinnia misses characters whose strokes come in
another order than it learnt (辶 written last) and confuses others (北→彐, 单→卓, 电→叽, 鬼→芜
before), the shapes miss look-alikes of another size or proportion (口 written small against 囗:
the shape is fitted by its box).

Caveats. The strokes are the medians of Make Me a Hanzi, which were traced from two Arphic Kai
fonts (AR PL UKai, AR PL KaitiM GB): templates from fonts-arphic-ukai are the answers (the shapes
alone with UKai, tuning split: top-1 94.0 %, top-5 99.1 %), so no Arphic font is used; AR PL
UMing (same foundry, a Ming design) reads like Noto (53.9 % / 75.4 % alone, Noto Sans + Serif
50.8 % / 72.0 %) but is left out too. Noto CJK (Adobe's Source Han design) is independent of them,
yet a font is tidier than a finger: real handwriting will gain less from the shapes than these
medians, jittered or not, do. WenQuanYi Micro Hei (already installed for the UI) is the fallback
font when Noto is missing: weaker (the shapes alone 34.2 % / 57.0 %).
Tried on the shapes and not kept (a fifth of the tuning split, WenQuanYi first): the ink not
smoothed (top-5 of the shapes 17 %; smoothed over 6 points each side 45 %), a thicker line (7.5 %
of the square: worse than 3 %), a wider blur (σ 0.75 or 1.2 cells: worse than 0.5; 0.35 worse
too), 4 directions instead of 8, a 12 × 12 grid (worse), WenQuanYi added to Noto (72.2 % against
72.0 % top-5, half as many templates again). (The comparisons of fonts drew seed 100 over all the
characters and kept the even ones, hence 50.8 % / 72.0 % for Noto there, 51.2 % / 71.4 % above.)
Preferring GB 2312 level-1 characters among zinnia's candidates reached 88–89 % on the tuning
split before but favours the benchmark's own list, so it is not used.
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

from kiosk.handwriting.recognizer import Ink, Point, Recognizer
from kiosk.handwriting.zinnia import MODEL_SIZE, POOL, ZinniaRecognizer

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


def tune(samples: dict[str, list[list[list[float]]]], part: str = "all") -> None:
    """Top-1/top-5 over a grid of the normalisation's parameters, then of the fusion's weights, on
    the tuning seed and half of the characters (every other one)."""
    from kiosk.handwriting import normalize

    subset = dict(list(samples.items())[::2])
    if part == "fusion":
        tune_fusion(subset)
        return
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
    print(f"| all {len(normalize.READINGS)}, scores added, + 辶 first when the ink ends in 辶 (zinnia's part) | {r['top1']:.1%} | {r['top5']:.1%} |")
    tune_fusion(subset)


def tune_fusion(subset: dict[str, list[list[list[float]]]]) -> None:
    """zinnia with the font templates (kiosk.handwriting.fused): each answer computed once on the
    tuning split, then the fusion's weight and spread over a grid."""
    from kiosk.handwriting import fused, shapes

    templates = shapes.FontTemplates()
    zinnia = ZinniaRecognizer()
    rng = random.Random(TUNING_SEED)
    inks = {char: as_drawn(medians, rng) for char, medians in subset.items()}  # the draws of run()
    answers = {}
    for char in subset:
        scores = templates.scores(inks[char])
        z = [(c.text, c.score) for c in zinnia.recognize(inks[char], limit=POOL)]
        answers[char] = (z, templates.best(scores, POOL),
                         {t: float(scores[templates.index[t]]) for t, _ in z if t in templates.index})
    fonts = ", ".join(path.name for path, _ in templates.fonts)
    print(f"\nfusion (fonts: {fonts}); zinnia alone, the shapes alone, then the weight of zinnia × spread\n")
    print("| zinnia weight | spread | top-1 | top-5 |\n|---|---|---|---|")
    grid = itertools.product((0.3, 0.4, 0.45, 0.5, 0.6), (0.02, 0.04, 0.06, 0.08))
    for weight, spread in [(1.0, fused.SPREAD), (0.0, fused.SPREAD), *grid]:
        hits = {}
        for char, (z, best, similarity) in answers.items():
            ranked = [t for t, _ in fused.fuse(z, best, similarity=similarity, weight=weight,
                                               spread=spread)[:5]]
            hits[char] = (bool(ranked) and ranked[0] == char, char in ranked)
        r = score(hits, list(answers))
        print(f"| {weight} | {spread} | {r['top1']:.1%} | {r['top5']:.1%} |", flush=True)


def run(recognizer: Recognizer, samples: dict[str, list[list[list[float]]]],
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
    parser.add_argument("--raw", action="store_true", help="zinnia alone, without the normalisation")
    parser.add_argument("--zinnia", action="store_true", help="zinnia alone (no font templates)")
    parser.add_argument("--tune", nargs="?", const="all", choices=("all", "fusion"),
                        help="the parameter grids on seed 100, even positions (fusion: only its)")
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
        tune(samples, args.tune)
        return
    recognizer: Recognizer
    if args.raw or args.zinnia:
        recognizer = ZinniaRecognizer(normalized=not args.raw)
        print(f"recognizer: zinnia alone, {'ink as written' if args.raw else 'smoothed and fitted 3 ways, scores added (normalize.READINGS)'}")
    else:
        from kiosk.handwriting.fused import SPREAD, ZINNIA_WEIGHT, FusedRecognizer

        fusion = FusedRecognizer(background=False)
        recognizer = fusion
        fonts = ", ".join(p.name for p, _ in fusion.templates.fonts) if fusion.templates else "none"
        print(f"recognizer: zinnia (3 readings, normalize.READINGS) fused with font templates "
              f"(shapes; fonts: {fonts}; zinnia weight {ZINNIA_WEIGHT}, spread {SPREAD})")
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
