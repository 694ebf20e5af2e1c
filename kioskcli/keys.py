"""``kiosk keys export``: print the station's public signing keys as a JWKS."""

from __future__ import annotations

import argparse
import json
from typing import Any

from .common import add_data_dir, station_settings


def register(commands: Any) -> None:
    parser = commands.add_parser("keys", help="the station's signing keys")
    actions = parser.add_subparsers(dest="keys_command", required=True, metavar="ACTION")
    export = actions.add_parser("export", help="print the public keys as a JWKS (RFC 7517/8037)")
    add_data_dir(export)
    export.set_defaults(run=run_export)
    rotate = actions.add_parser("rotate", help="sign with a new key from now on; old keys stay published")
    add_data_dir(rotate)
    rotate.set_defaults(run=run_rotate)


def run_export(args: argparse.Namespace) -> int:
    from backend.station.services.keys import StationKeys

    keys = StationKeys(station_settings(args).keys_dir)
    print(json.dumps(keys.jwks(), indent=2))
    return 0


def run_rotate(args: argparse.Namespace) -> int:
    from backend.station.services.keys import StationKeys

    keys = StationKeys(station_settings(args).keys_dir)
    old = keys.signer.kid.hex()
    new = keys.rotate().kid.hex()
    print(f"now signing with key {new}; {old} and earlier keys stay in the JWKS so their "
          "certificates still verify")
    return 0
