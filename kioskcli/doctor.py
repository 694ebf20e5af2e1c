"""``kiosk doctor``: check a kiosk from top to bottom — configuration, data folder and disk,
database and migrations, keys and enrolment, platform and clock, every device, display, backups,
time zone — and say what to do about each failure. Exit 0 when everything passes, 1 otherwise."""

from __future__ import annotations

import argparse
import json
import unicodedata
from typing import Any

from .common import add_data_dir, data_dir_of


def register(commands: Any) -> None:
    parser = commands.add_parser("doctor", help="check this kiosk and say what to fix")
    add_data_dir(parser)
    parser.add_argument("--station", default=None,
                        help="the station's URL when not at the host and port of its settings "
                        "(e.g. kiosk up --station-port)")
    parser.add_argument("--json", action="store_true",
                        help='print a JSON list of {"check", "ok", "detail"} instead of a table')
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import httpx

    from backend.station.doctor import run_checks

    options = {}
    if args.station:
        url = httpx.URL(args.station)
        options = {"host": url.host, "port": url.port or 80}
    checks = run_checks(data_dir_of(args), **options)
    if args.json:
        print(json.dumps([c.as_dict() for c in checks], ensure_ascii=False, indent=1))
    else:
        width = max(_columns(c.check) for c in checks)
        for c in checks:
            print(f"{'✓' if c.ok else '✗'} {c.check}{' ' * (width - _columns(c.check))}  {c.detail}")
            if not c.ok and c.fix:
                print(f"  {' ' * width}  → {c.fix}")
        failed = sum(not c.ok for c in checks)
        summary = f"{len(checks) - failed} of {len(checks)} checks pass"
        print(f"\n{summary}; {failed} to fix" if failed else f"\n{summary}")
    return 0 if all(c.ok for c in checks) else 1


def _columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
