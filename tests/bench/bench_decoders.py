"""Benchmark the frame decoders side by side: time per 640×480 frame and exact-read rate.

    .venv/bin/python tests/bench/bench_decoders.py [--per-category 20] [--repeats 3] [--noise 8]

Builds the image set of ``decoder_frames.py`` in memory, then decodes every frame with pyzbar
(zbar, QR binary mode) and zxing-cpp, both restricted to the station's symbologies (QR and the
common 1-D codes), alternating which goes first. A frame's time is the median of its repeats;
a read counts only if the exact payload bytes come back. Prints a Markdown table per category
and the decoder the rule picks: the faster one that reads at least as many codes.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # for decoder_frames when run as a script

from decoder_frames import CATEGORIES, DEFAULT_NOISE, BenchFrame, generate

from devices.scanner.decoder import Decoder, PyzbarDecoder, ZxingDecoder


@dataclass
class Tally:
    """Per-frame times (seconds) and reads of one decoder on one category."""

    times: list[float] = field(default_factory=list)
    reads: int = 0

    def add(self, seconds: float, read: bool) -> None:
        self.times.append(seconds)
        self.reads += read

    def merge(self, other: Tally) -> None:
        self.times += other.times
        self.reads += other.reads


def p95(values: list[float]) -> float:
    """Return the 95th percentile by nearest rank."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def time_frame(decoder: Decoder, frame: BenchFrame, repeats: int) -> tuple[float, bool]:
    """Return (median seconds, exact read) of decoding one frame ``repeats`` times."""
    times, read = [], False
    for _ in range(repeats):
        start = time.perf_counter()
        found = decoder.decode(frame.image)
        times.append(time.perf_counter() - start)
        read = any(code.data == frame.payload for code in found)
    return statistics.median(times), read


def run(decoders: list[Decoder], frames: list[BenchFrame], repeats: int
        ) -> dict[str, dict[str, Tally]]:
    """Decode every frame with every decoder; return tallies by category, then decoder."""
    for decoder in decoders:  # warm up: first calls load libraries and allocate
        decoder.decode(frames[0].image)
    tallies: dict[str, dict[str, Tally]] = defaultdict(lambda: defaultdict(Tally))
    for index, frame in enumerate(frames):
        order = decoders if index % 2 == 0 else decoders[::-1]
        for decoder in order:
            seconds, read = time_frame(decoder, frame, repeats)
            tallies[frame.category][decoder.name].add(seconds, read)
    return tallies


def table(tallies: dict[str, dict[str, Tally]], names: list[str]) -> list[str]:
    """Return the Markdown table: one row per category and a total row."""
    head = "| category | frames | " + " | ".join(
        f"{n} median ms | {n} p95 ms | {n} read" for n in names) + " |"
    rows = [head, "|" + "---|" * (2 + 3 * len(names))]
    total: dict[str, Tally] = defaultdict(Tally)
    for category in [c for c in CATEGORIES if c in tallies]:
        rows.append(_row(category, tallies[category], names))
        for name in names:
            total[name].merge(tallies[category][name])
    rows.append(_row("**all**", total, names))
    return rows


def _row(label: str, by_decoder: dict[str, Tally], names: list[str]) -> str:
    count = len(by_decoder[names[0]].times)
    cells = []
    for name in names:
        tally = by_decoder[name]
        cells += [f"{statistics.median(tally.times) * 1000:.2f}", f"{p95(tally.times) * 1000:.2f}",
                  f"{tally.reads}/{count}"]
    return f"| {label} | {count} | " + " | ".join(cells) + " |"


def choose(tallies: dict[str, dict[str, Tally]], names: list[str]) -> str:
    """Return the faster decoder (overall median) among those reading the most codes."""
    total: dict[str, Tally] = defaultdict(Tally)
    for by_decoder in tallies.values():
        for name in names:
            total[name].merge(by_decoder[name])
    most = max(total[n].reads for n in names)
    return min((n for n in names if total[n].reads >= most),
               key=lambda n: statistics.median(total[n].times))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-category", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--noise", type=int, default=DEFAULT_NOISE, help="grain, ± grey levels")
    args = parser.parse_args()
    frames = list(generate(args.per_category, args.seed, args.noise))
    decoders: list[Decoder] = [PyzbarDecoder(), ZxingDecoder()]
    names = [d.name for d in decoders]
    tallies = run(decoders, frames, args.repeats)
    print(f"{len(frames)} frames of 640×480, grain ±{args.noise}, {args.repeats} repeats each; Python "
          f"{platform.python_version()}, pyzbar {version('pyzbar')}, zxing-cpp "
          f"{version('zxing-cpp')}, {os.cpu_count()} CPUs\n")
    print("\n".join(table(tallies, names)))
    print(f"\nchosen by the rule (faster, reading at least as many): {choose(tallies, names)}")


if __name__ == "__main__":
    main()
