"""``kiosk backup`` and ``kiosk restore``: a station's data folder to one file and back.

``kiosk backup`` works while the station runs (SQLite's online backup); ``kiosk restore`` refuses
to while it runs. The secret keys go into a backup only with ``--include-keys``, sealed with a
passphrase (``KIOSK_BACKUP_PASSPHRASE``, ``--passphrase-file``, or asked for on a terminal).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from backend.shared.errors import AppError

from .common import add_data_dir, data_dir_of, station_settings


def register(commands: Any) -> None:
    backup = commands.add_parser("backup", help="write a consistent backup of the station's data folder")
    add_data_dir(backup)
    backup.add_argument("--out", type=Path, default=None,
                        help="backup file to write (default <data dir>/backups/manual-<time>.kbak)")
    backup.add_argument("--include-keys", action="store_true",
                        help="also back up the signing and ID-number keys, encrypted with a passphrase")
    backup.add_argument("--passphrase-file", type=Path, default=None,
                        help="read the passphrase from this file (else KIOSK_BACKUP_PASSPHRASE or a prompt)")
    backup.set_defaults(run=run_backup)
    restore = commands.add_parser("restore", help="bring a data folder back from a backup (station stopped)")
    restore.add_argument("file", type=Path, help="the backup file (.kbak)")
    add_data_dir(restore)
    restore.add_argument("--passphrase-file", type=Path, default=None,
                         help="passphrase of a backup with keys (else KIOSK_BACKUP_PASSPHRASE or a prompt)")
    restore.set_defaults(run=run_restore)


def run_backup(args: argparse.Namespace) -> int:
    from backend.shared import localtime
    from backend.station.backup.archive import create_backup
    from backend.station.backup.schedule import backup_path
    from backend.station.sync.enrolment import load_enrolment
    from backend.station.version import VERSION

    settings = station_settings(args)
    localtime.configure(settings.timezone)  # the file's name says the local time
    enrolment = load_enrolment(settings.data_dir)
    station_id = enrolment.station_id if enrolment else settings.station_id
    now = datetime.now(UTC)
    out = (args.out or backup_path(settings.backups_dir, "manual", now)).resolve()
    try:
        passphrase = _passphrase(args, confirm=True) if args.include_keys else None
        result = create_backup(data_dir=settings.data_dir, out=out, station_id=station_id, now=now,
                               include_keys=args.include_keys, passphrase=passphrase, app_version=VERSION)
    except AppError as err:
        return _refused("backup", err)
    print(result.path)
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from backend.station.backup.restore import restore_backup

    data_dir = data_dir_of(args)
    try:
        result = restore_backup(args.file, data_dir=data_dir, now=datetime.now(UTC),
                                passphrase=_lazy_passphrase(args))
    except AppError as err:
        return _refused("restore", err)
    manifest = result.manifest
    print(f"restored station {manifest.station_id} (backup of {manifest.created_at}, schema "
          f"{manifest.schema_revision or '?'}) into {result.data_dir}")
    if result.previous:
        print(f"the folder it replaced is kept as {result.previous}")
    print({"restored": "keys: restored from the backup",
           "kept": "keys: this folder's own keys were kept",
           "none": "keys: none in the backup or the folder; the station makes new signing keys at "
                   "start (re-enrol with `kiosk enroll --force`); ID numbers stored encrypted "
                   "before cannot be read back"}[result.keys])
    return 0


def _passphrase(args: argparse.Namespace, *, confirm: bool = False) -> str:
    if args.passphrase_file is not None:
        return args.passphrase_file.read_text().strip()
    if os.environ.get("KIOSK_BACKUP_PASSPHRASE"):
        return os.environ["KIOSK_BACKUP_PASSPHRASE"]
    if not sys.stdin.isatty():
        return ""
    first = getpass.getpass("passphrase for the keys: ")
    if confirm and getpass.getpass("again: ") != first:
        sys.stderr.write("the passphrases differ\n")
        return ""
    return first


def _lazy_passphrase(args: argparse.Namespace) -> str | None:
    # A restore asks only if the backup holds keys; the prompt cannot wait that long inside the
    # restore, so ask when there is a terminal and nothing else gives it.
    given = args.passphrase_file is not None or os.environ.get("KIOSK_BACKUP_PASSPHRASE")
    if not given and (not sys.stdin.isatty() or not _holds_keys(args.file)):
        return None
    return _passphrase(args) or None


def _holds_keys(path: Path) -> bool:
    from backend.station.backup.archive import open_archive, read_manifest

    try:
        with open_archive(path) as tar:
            return read_manifest(tar).keys is not None
    except AppError:
        return False


def _refused(action: str, err: AppError) -> int:
    sys.stderr.write(f"kiosk {action}: {err.code}: {err.spec.zh} {err.spec.en}"
                     f"{f' ({err.detail})' if err.detail else ''}\n")
    return 1
