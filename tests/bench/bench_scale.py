"""The city-scale goals in one run: every figure of the scale table, measured side by side.

    .venv/bin/python tests/bench/bench_scale.py [--parts fleet ingest verify catchup console]
    (or: kiosk bench scale)

Runs the fleet, ingest, verify, catch-up and console benchmarks one after the other on this
machine (PostgreSQL needs KIOSK_TEST_PG_URL; the console part needs Chromium) and prints one table:
each measure, its goal, the figure measured now, and whether the goal is met. The figures are also
written to test-artifacts/bench/scale.json. The fleet part is the long one (each step enrols the
stations it adds, then measures a real 30 s heartbeat period); ``--fleet-stations`` and
``--seconds`` make a shorter run. Measures only; never passes or fails.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

ARTIFACT = Path(__file__).resolve().parents[2] / "test-artifacts" / "bench" / "scale.json"
PARTS = ("fleet", "ingest", "verify", "catchup", "console")


@dataclass
class Figure:
    measure: str
    goal: str
    measured: str
    met: bool | None  # None: not measured in this run


def _largest(rows: list[dict[str, Any]], limit_ms: float) -> int:
    passing = [r["stations"] for r in rows if r["p99"] <= limit_ms and not r["errors"]]
    return max(passing, default=0)


def fleet(args: argparse.Namespace) -> list[Figure]:
    import bench_sync_fleet

    def largest(backend: str, sizes: list[int], workers: int) -> int:
        rows = bench_sync_fleet.run(backend, sizes, args.period, args.seconds, args.limit_ms, args.warmup, workers)
        return _largest(rows, args.limit_ms)

    figures = []
    one = largest("postgres", args.fleet_stations, 1)
    figures.append(Figure(f"stations per worker at {args.period:g} s heartbeat, p99 ≤ {args.limit_ms:g} ms, "
                          "PostgreSQL", "≥ 10,000", f"{one:,}", one >= 10_000))
    lite = largest("sqlite", args.fleet_stations, 1)
    figures.append(Figure("the same, SQLite", "≥ 5,000", f"{lite:,}", lite >= 5_000))
    # Two workers climb the same steps and on to twice the largest, so a ratio below 2 shows too.
    two = largest("postgres", sorted({*args.fleet_stations, *(n * 2 for n in args.fleet_stations)}), 2)
    ratio = two / one if one else 0.0
    figures.append(Figure("two workers on one PostgreSQL vs one (largest fleet)", "≥ 1.7×",
                          f"{ratio:.2f}× ({two:,} vs {one:,})", ratio >= 1.7))
    return figures


def ingest(args: argparse.Namespace) -> list[Figure]:
    import bench_sync_ingest

    rows = bench_sync_ingest.run("postgres", args.batch_sizes, args.events, [1, 4])
    best = {at_once: max(row[3] for row in rows if row[1] == at_once) for at_once in (1, 4)}
    return [Figure("events ingested per second per worker, PostgreSQL", "≥ 5,000",
                   f"{best[1]:,.0f} (one station's batches); {best[4]:,.0f} (four stations at once)",
                   max(best.values()) >= 5_000)]


def verify(args: argparse.Namespace) -> list[Figure]:
    import bench_verify

    token, raw = bench_verify.measure(args.rounds, args.keys)
    share = token / raw
    return [Figure("token verify in-process vs raw Ed25519", "≥ 60 % (≥ 5,000/s)",
                   f"{share:.0%} ({token:,.0f} vs {raw:,.0f}/s)", share >= 0.6 and token >= 5_000)]


def catchup(args: argparse.Namespace) -> list[Figure]:
    from bench_sync_catchup import drain
    from sync_bench_support import platform_on

    seconds = []
    for n, backend in enumerate(("sqlite", "postgres")):
        with platform_on(backend) as platform:
            _total, after_ready = drain(platform, events=args.catchup_events, batch=200,
                                        station_id=f"scale-catchup-{n}", code=f"S{80 + n}")
            seconds.append(after_ready)
    return [Figure(f"catch-up of {args.catchup_events:,} queued events (SQLite / PostgreSQL)", "≤ 10 s",
                   " / ".join(f"{s:.1f} s" for s in seconds), max(seconds) <= 10)]


def console(args: argparse.Namespace) -> list[Figure]:
    import bench_console_fleet

    found = bench_console_fleet.run(args.console_stations, 100, 3)
    paint = found["first_paint_ms"] / 1000
    return [Figure(f"console fleet overview with {args.console_stations:,} stations", "first paint ≤ 1 s",
                   f"{paint:.2f} s; {found['fetches_after_burst']} refreshes for "
                   f"{found['changes']} changes in 1 s", paint <= 1.0)]


MEASURES: dict[str, Callable[[argparse.Namespace], list[Figure]]] = {
    "fleet": fleet, "ingest": ingest, "verify": verify, "catchup": catchup, "console": console}


def table(figures: list[Figure]) -> str:
    lines = ["| measure | goal | measured | met |", "|---|---|---|---|"]
    for f in figures:
        met = "—" if f.met is None else ("yes" if f.met else "no")
        lines.append(f"| {f.measure} | {f.goal} | {f.measured} | {met} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--parts", nargs="+", choices=PARTS, default=list(PARTS))
    parser.add_argument("--fleet-stations", nargs="+", type=int, default=[2500, 5000, 7500, 10000, 12500],
                        help="fleet sizes per worker (two workers: these and twice these)")
    parser.add_argument("--period", type=float, default=30)
    parser.add_argument("--seconds", type=float, default=30, help="seconds measured at each fleet size")
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--limit-ms", type=float, default=100)
    parser.add_argument("--batch-sizes", nargs="+", type=int, default=[200, 1000])
    parser.add_argument("--events", type=int, default=6000, help="events per ingest run")
    parser.add_argument("--rounds", type=int, default=3000, help="verify rounds")
    parser.add_argument("--keys", type=int, default=10_000, help="keys in the verify trust list")
    parser.add_argument("--catchup-events", type=int, default=10_000)
    parser.add_argument("--console-stations", type=int, default=10_000)
    parser.add_argument("--output", type=Path, default=ARTIFACT)
    args = parser.parse_args(argv)
    figures: list[Figure] = []
    for part in PARTS:
        if part in args.parts:
            print(f"\n# {part}\n", flush=True)
            figures += MEASURES[part](args)
    print("\n## City scale, one run\n")
    print(table(figures))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps([asdict(f) for f in figures], ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
