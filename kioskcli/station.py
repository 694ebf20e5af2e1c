"""``kiosk station``: run the station backend (devices, database, API) on this machine."""

from __future__ import annotations

import argparse
from typing import Any

from .common import add_data_dir, add_server, station_settings


def register(commands: Any) -> None:
    parser = commands.add_parser("station", help="run the station backend")
    add_data_dir(parser)
    add_server(parser, 8470)
    parser.add_argument("--printer", help="printer URL (tcp://, serial://, usb://, file://, sim://)")
    parser.add_argument("--idcard", help="ID card reader URL (/dev/tty…, socket://, loop://, sim://)")
    parser.add_argument("--scanner", help="serial scanner URL (/dev/tty…, socket://, sim://)")
    parser.set_defaults(run=run, log_default="INFO")


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from backend.shared.logs import log_to_file
    from backend.station.app import create_app

    settings = station_settings(args)
    log_to_file(settings.data_dir / "logs", "station", max_bytes=settings.log_max_bytes,
                backup_count=settings.log_backup_count)
    app = create_app(settings)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning", ws="websockets-sansio")
    return 0
