"""``kiosk db upgrade``: bring a data folder's database to the current schema."""

from __future__ import annotations

import argparse
from typing import Any

from .common import add_data_dir, station_settings


def register(commands: Any) -> None:
    parser = commands.add_parser("db", help="database maintenance")
    actions = parser.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    upgrade = actions.add_parser("upgrade", help="apply every migration to the station database")
    add_data_dir(upgrade)
    upgrade.set_defaults(run=run_upgrade)


def run_upgrade(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from backend.shared.migrations import upgrade
    from backend.station.backup.schedule import backup_before_migration
    from backend.station.db.session import make_engine
    from backend.station.runtime import MIGRATIONS

    settings = station_settings(args)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.database_url)
    taken = backup_before_migration(settings, engine, MIGRATIONS, datetime.now(UTC))
    if taken is not None:
        print(f"backed up before migrating: {taken.path}")
    upgrade(engine, MIGRATIONS)
    print(f"station database at {settings.database_url} is up to date")
    return 0
