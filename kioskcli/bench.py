"""``kiosk bench [NAME ...] [OPTIONS]``: run the benchmark scripts kept in tests/bench and print
their tables. Options after one benchmark's name go to that script: ``kiosk bench scale --parts
workers``, ``kiosk bench handwriting --zinnia``.

Benchmarks measure; they never pass or fail. Figures go in the README side by side, from one run.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parents[1] / "tests" / "bench"


def register(commands: Any) -> None:
    parser = commands.add_parser("bench", help="run benchmarks (from a source checkout)")
    parser.add_argument("names", nargs="*", metavar="NAME",
                        help="benchmarks to run, e.g. certificate decoders (default: all)")
    parser.add_argument("--list", action="store_true", help="list the benchmarks")
    parser.add_argument("options", nargs=argparse.REMAINDER,
                        help="options for the one benchmark named (its --help lists them)")
    parser.set_defaults(run=run)


def available() -> dict[str, Path]:
    return {p.stem.removeprefix("bench_"): p for p in sorted(BENCH_DIR.glob("bench_*.py"))}


def run(args: argparse.Namespace) -> int:
    benches = available()
    if not benches:
        print(f"kiosk bench: no benchmarks found in {BENCH_DIR} (run it from a source checkout)")
        return 1
    if args.list:
        for name, path in benches.items():
            print(f"{name:14} {path}")
        return 0
    unknown = [n for n in args.names if n not in benches]
    if unknown:
        print(f"kiosk bench: unknown {', '.join(unknown)}; known: {', '.join(benches)}")
        return 2
    if args.options and len(args.names) != 1:
        print(f"kiosk bench: options ({' '.join(args.options)}) go to one benchmark; name exactly one")
        return 2
    status = 0
    for name in args.names or list(benches):
        print(f"\n# kiosk bench {name}\n", flush=True)
        status |= subprocess.run([sys.executable, str(benches[name]), *args.options], check=False).returncode
    return status
