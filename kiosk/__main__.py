"""``python -m kiosk --station URL``: run the kiosk UI on its own (``kiosk ui`` does the
same through the project's CLI)."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from .launch import run

__all__ = ["main", "parse_args", "run"]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(prog="python -m kiosk", description=__doc__)
    parser.add_argument("--station", default=os.environ.get("KIOSK_STATION_URL", "http://127.0.0.1:8470"),
                        help="the station backend's base URL (env KIOSK_STATION_URL)")
    parser.add_argument("--data-dir", type=Path, default=Path(os.environ.get("KIOSK_DATA_DIR", "data")),
                        help="where Kivy keeps its settings (env KIOSK_DATA_DIR)")
    parser.add_argument("--fullscreen", action="store_true", help="fill the screen, no border")
    parser.add_argument("--automation-port", type=int, default=None,
                        help="serve the test-automation hook on 127.0.0.1:PORT (tests only)")
    parser.add_argument("--idle-seconds", type=float, default=None,
                        help="clear a resident's session after this long without a touch")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the kiosk UI; return the exit status."""
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s.%(msecs)03d %(levelname)s %(name)s: %(message)s",
                        datefmt="%H:%M:%S")
    run(args.station, data_dir=args.data_dir.resolve(), fullscreen=args.fullscreen,
        automation_port=args.automation_port, idle_seconds=args.idle_seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
