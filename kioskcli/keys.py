"""``kiosk keys export``: print the station's public signing keys as a JWKS, each key naming
this station as its holder (station_id, community, station_code), so a verifier that loads the
file refuses the keys for certificates claiming another station."""

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
    from backend.shared.tokens import export_jwks
    from backend.station.runtime import own_key_binding
    from backend.station.services.keys import StationKeys

    settings = station_settings(args)
    keys = StationKeys(settings.keys_dir)
    print(json.dumps(export_jwks(keys.own_public_keys(), own_key_binding(settings)), indent=2))
    return 0


def run_rotate(args: argparse.Namespace) -> int:
    from backend.station.services.keys import StationKeys

    keys = StationKeys(station_settings(args).keys_dir)
    old = keys.signer.kid.hex()
    new = keys.rotate().kid.hex()
    print(f"now signing with key {new}; {old} and earlier keys stay in the JWKS so their "
          "certificates still verify")
    return 0
