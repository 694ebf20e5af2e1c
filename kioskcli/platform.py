"""``kiosk platform``: run the one-window platform (fleet registry, sync endpoints, staff API).

With ``--database-url`` (PostgreSQL) it can run several workers: migrations and the first-start
bootstrap run once here, then uvicorn starts the workers, each building its app from the
KIOSK_PLATFORM_* environment this command sets.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from pydantic import ValidationError


def register(commands: Any) -> None:
    parser = commands.add_parser("platform", help="run the one-window platform")
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="platform data folder (env KIOSK_PLATFORM_DATA_DIR, "
                        "default $KIOSK_DATA_DIR/platform)")
    parser.add_argument("--host", default=None, help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=None, help="port (default 8480)")
    parser.add_argument("--database-url", default=None,
                        help="postgresql://user@host/db (env KIOSK_PLATFORM_DATABASE_URL); "
                        "default SQLite in the data folder")
    parser.add_argument("--workers", type=int, default=1, help="worker processes (PostgreSQL only)")
    parser.set_defaults(run=run, log_default="INFO")
    actions = parser.add_subparsers(dest="platform_command", metavar="[ACTION]")
    backup = actions.add_parser("backup", help="back up the platform's database (SQLite copy or pg_dump)")
    backup.add_argument("--data-dir", type=Path, default=None, help="platform data folder (as above)")
    backup.add_argument("--database-url", default=None, help="as above; default SQLite in the data folder")
    backup.add_argument("--out", type=Path, default=None,
                        help="file to write (default <data dir>/backups/platform-<UTC time>.db or .dump)")
    backup.set_defaults(run=run_backup, log_default="WARNING")


def run_backup(args: argparse.Namespace) -> int:
    """Write the platform's backup and print its path."""
    from datetime import UTC, datetime

    from backend.platform.backup import backup_platform
    from backend.platform.settings import load_settings
    from backend.shared.errors import AppError

    settings = load_settings(data_dir=args.data_dir.resolve() if args.data_dir else None,
                             database_url=args.database_url)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%SZ")
    suffix = "db" if settings.is_sqlite else "dump"
    out = args.out or settings.data_dir / "backups" / f"platform-{stamp}.{suffix}"
    try:
        result = backup_platform(settings, out.resolve())
    except AppError as err:
        sys.stderr.write(f"kiosk platform backup: {err.code}: {err.spec.zh} {err.spec.en}"
                         f"{f' ({err.detail})' if err.detail else ''}\n")
        return 1
    print(result.path)
    return 0


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from backend.platform.runtime import build_runtime
    from backend.platform.settings import load_settings
    from backend.shared.errors import AppError

    options = {"data_dir": args.data_dir.resolve() if args.data_dir else None, "host": args.host,
               "port": args.port, "database_url": args.database_url}
    try:
        settings = load_settings(**options)
    except ValidationError as err:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in err.errors())
        sys.stderr.write(f"kiosk platform: invalid settings: {problems}\n")
        return 2
    if args.workers > 1 and settings.is_sqlite:
        sys.stderr.write("kiosk platform: several workers need PostgreSQL (--database-url); "
                         "SQLite serves one worker\n")
        return 2
    from backend.shared.logs import log_to_file

    log_to_file(settings.data_dir / "logs", "platform")
    try:
        build_runtime(settings).engine.dispose()  # migrate and bootstrap once, before any worker
    except AppError as err:  # e.g. platform.demo_password: say what to do, no traceback
        sys.stderr.write(f"kiosk platform: refused to start [{err.code}]: {err.spec.en} "
                         f"({err.detail})\n  {err.spec.zh}\n")
        return 2
    os.environ.update({"KIOSK_PLATFORM_DATA_DIR": str(settings.data_dir),
                       "KIOSK_PLATFORM_HOST": settings.host, "KIOSK_PLATFORM_PORT": str(settings.port),
                       "KIOSK_PLATFORM_DATABASE_URL": settings.database_url,
                       "KIOSK_PLATFORM_MIGRATE": "false"})
    uvicorn.run("backend.platform.app:create_app_from_env", factory=True, host=settings.host,
                port=settings.port, workers=args.workers, log_level="warning")
    return 0
