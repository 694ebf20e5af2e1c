"""``kiosk keys export``: print the station's public signing keys as a JWKS."""

from __future__ import annotations

import argparse
import json
from typing import Any

from .common import add_data_dir, data_dir_of


def register(commands: Any) -> None:
    parser = commands.add_parser("keys", help="the station's signing keys")
    actions = parser.add_subparsers(dest="keys_command", required=True, metavar="ACTION")
    export = actions.add_parser("export", help="print the public keys as a JWKS (RFC 7517/8037)")
    add_data_dir(export)
    export.set_defaults(run=run_export)


def run_export(args: argparse.Namespace) -> int:
    from backend.station.services.keys import StationKeys

    keys = StationKeys(data_dir_of(args) / "keys")
    print(json.dumps(keys.jwks(), indent=2))
    return 0
