"""Options every subcommand shares, and how they become settings."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from backend.station.settings import StationSettings, load_settings


def add_data_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="where all state lives (env KIOSK_DATA_DIR, default ./data)")


def add_server(parser: argparse.ArgumentParser, default_port: int) -> None:
    parser.add_argument("--host", default=None, help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=None, help=f"port (default {default_port})")


def data_dir_of(args: argparse.Namespace) -> Path:
    given = getattr(args, "data_dir", None)
    return Path(given or os.environ.get("KIOSK_DATA_DIR", "data")).resolve()


def station_settings(args: argparse.Namespace, **extra: Any) -> StationSettings:
    """Build station settings from file, environment and these options; exit 2 when invalid."""
    options = {"data_dir": data_dir_of(args), **extra}
    for name in ("host", "port", "printer", "idcard", "scanner"):
        value = getattr(args, name, None)
        if value is not None:
            options.setdefault(name, value)
    try:
        return load_settings(**options)
    except ValidationError as err:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in err.errors())
        sys.stderr.write(f"kiosk: invalid settings: {problems}\n")
        raise SystemExit(2) from err
