"""``kiosk ui``: open the kiosk window, a thin client of the station backend."""

from __future__ import annotations

import argparse
from typing import Any

from .common import add_data_dir, data_dir_of


def register(commands: Any) -> None:
    parser = commands.add_parser("ui", help="open the kiosk touch screen")
    add_data_dir(parser)
    parser.add_argument("--station", default="http://127.0.0.1:8470", help="station backend URL")
    parser.add_argument("--fullscreen", action="store_true")
    parser.add_argument("--automation-port", type=int, default=None,
                        help="serve the test-automation hook on this loopback port (tests only)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from kiosk.launch import run as run_kiosk

    run_kiosk(args.station, data_dir=data_dir_of(args), fullscreen=args.fullscreen,
              automation_port=args.automation_port)
    return 0
