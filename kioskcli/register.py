"""``kiosk register import FILE``: replace the station's community register from a CSV or XLSX file.

Every row is validated (ID check digit, dates, duplicates…); if any row is rejected, nothing
changes and each rejected row is listed with its line and reason. Once the station is enrolled,
the register comes from the platform instead.
"""

from __future__ import annotations

import argparse
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from .common import add_data_dir, station_settings


def register(commands: Any) -> None:
    parser = commands.add_parser("register", help="the community register")
    actions = parser.add_subparsers(dest="register_command", required=True, metavar="ACTION")
    load = actions.add_parser("import", help="replace the register from a CSV or XLSX file, all or nothing")
    load.add_argument("file", type=Path)
    add_data_dir(load)
    load.set_defaults(run=run_import)


def run_import(args: argparse.Namespace) -> int:
    from backend.shared.migrations import upgrade
    from backend.shared.register_file import read_register
    from backend.station.db.session import make_engine, make_session_factory
    from backend.station.runtime import MIGRATIONS
    from backend.station.services.keys import StationKeys
    from backend.station.services.register import replace_register

    settings = station_settings(args)
    try:
        data = args.file.read_bytes()
    except OSError as err:
        print(f"kiosk register: cannot read {args.file}: {err}")
        return 2
    parsed = read_register(data, args.file.name, date.today())
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.database_url)
    protector = StationKeys(settings.keys_dir).protector
    upgrade(engine, MIGRATIONS, protector=protector)
    report = replace_register(make_session_factory(engine, protector=protector), protector, parsed,
                              now=datetime.now(UTC))
    if not report.ok:
        print(f"{args.file}: {len(report.rejected)} row(s) rejected; the register was not changed:")
        for row in report.rejected:
            column = f" [{row['column']}]" if row["column"] else ""
            message: dict[str, str] = row["message"]  # type: ignore[assignment]
            print(f"  line {row['line']}{column}: {row['reason']} — {message['en']} / {message['zh']}")
        return 1
    print(f"{args.file}: {report.imported} residents imported; the register was replaced")
    return 0
