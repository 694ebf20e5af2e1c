"""``kiosk``: one entry point, a subcommand per process and per tool."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from backend.shared.logs import RedactingFilter

from . import (
    backup,
    bench,
    db,
    demo_fleet,
    doctor,
    enroll,
    install,
    keys,
    platform,
    register,
    release,
    selftest,
    sim,
    station,
    ui,
    up,
    users,
    verify,
)

COMMANDS = (up, station, platform, ui, sim, verify, keys, enroll, selftest, register, db, bench, install,
            release, users, backup, doctor, demo_fleet)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kiosk", description="24-hour smart self-service station (24小时智慧服务站)")
    parser.add_argument("--log-level", default=os.environ.get("KIOSK_LOG_LEVEL"),
                        help="logging level (env KIOSK_LOG_LEVEL; default INFO for servers, "
                        "WARNING for tools)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMANDS:
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _keep_escpos_cache_in_data_dir(args)
    _configure_logging(args.log_level or getattr(args, "log_default", "WARNING"))
    try:
        result: int = args.run(args)
        return result
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return 0


QUIET_LOGGERS = ("alembic", "httpx", "uvicorn.access")


def _configure_logging(level: str) -> None:
    # force: python-escpos calls basicConfig when imported; our configuration must win.
    logging.basicConfig(level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s",
                        force=True)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLogger().level))
    for handler in logging.getLogger().handlers:
        handler.addFilter(_lower_escpos_chatter)
        handler.addFilter(RedactingFilter())  # no full ID or mobile number, on the console either


def _lower_escpos_chatter(record: logging.LogRecord) -> bool:
    # python-escpos logs "printer enabled"/"closing connection" on the root logger at INFO on every
    # connection; the station connects for every status poll, so keep that at DEBUG.
    return not ("/escpos/" in record.pathname and record.levelno <= logging.INFO)


def _keep_escpos_cache_in_data_dir(args: argparse.Namespace) -> None:
    # python-escpos pickles its capabilities into a new /tmp folder at every import unless told
    # where to keep them; keep one copy under the data folder instead.
    data_dir = getattr(args, "data_dir", None) or os.environ.get("KIOSK_DATA_DIR", "data")
    cache = os.path.join(os.path.abspath(data_dir), "cache", "escpos")
    os.makedirs(cache, exist_ok=True)
    os.environ.setdefault("ESCPOS_CAPABILITIES_PICKLE_DIR", cache)
