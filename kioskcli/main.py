"""``kiosk``: one entry point, a subcommand per process and per tool."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from . import db, keys, selftest, sim, station, ui, up, verify

COMMANDS = (up, station, ui, sim, verify, keys, selftest, db)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kiosk", description="24-hour smart self-service station (24小时智慧服务站)")
    parser.add_argument("--log-level", default=os.environ.get("KIOSK_LOG_LEVEL", "INFO"),
                        help="logging level (default INFO, env KIOSK_LOG_LEVEL)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMANDS:
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        result: int = args.run(args)
        return result
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return 0
