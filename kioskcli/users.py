"""``kiosk users``: the platform's staff accounts from the command line (list, add,
reset-password, deactivate) — also the way out when production refuses to start because an
account still has a demo password.

Passwords are read from the terminal (asked twice) or, with ``--password-stdin``, from the first
line of standard input; never from the command line, where other users could see them. A
password given here is temporary: the user must choose their own at the next sign-in.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


def register(commands: Any) -> None:
    parser = commands.add_parser("users", help="the platform's staff accounts")
    actions = parser.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="every account: unit, role, state")
    listing.set_defaults(run=run_list)
    add = actions.add_parser("add", help="add an account (temporary password)")
    add.add_argument("username")
    add.add_argument("--role", choices=("staff", "technician", "admin"), required=True)
    add.add_argument("--org", required=True, help="organisation unit code")
    add.add_argument("--display-name", default="")
    add.set_defaults(run=run_add)
    reset = actions.add_parser("reset-password", help="give an account a new temporary password")
    reset.add_argument("username")
    reset.set_defaults(run=run_reset)
    deactivate = actions.add_parser("deactivate", help="stop an account from signing in")
    deactivate.add_argument("username")
    deactivate.set_defaults(run=run_deactivate)
    for action in (listing, add, reset, deactivate):
        action.add_argument("--data-dir", type=Path, default=None,
                            help="platform data folder (env KIOSK_PLATFORM_DATA_DIR)")
        action.add_argument("--database-url", default=None, help="env KIOSK_PLATFORM_DATABASE_URL")
    for action in (add, reset):
        action.add_argument("--password-stdin", action="store_true",
                            help="read the password from the first line of standard input")


def _factory(args: argparse.Namespace) -> Any:
    from backend.platform.db.session import make_engine, make_session_factory
    from backend.platform.runtime import MIGRATIONS, data_protector
    from backend.platform.settings import load_settings
    from backend.shared.migrations import upgrade

    settings = load_settings(data_dir=args.data_dir.resolve() if args.data_dir else None,
                             database_url=args.database_url)
    engine = make_engine(settings.effective_database_url)
    protector = data_protector(settings)
    upgrade(engine, MIGRATIONS, protector=protector)
    return make_session_factory(engine, protector=protector), settings


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("New password (12 characters or more): ")
    if getpass.getpass("Again: ") != first:
        raise SystemExit("kiosk users: the two passwords differ; nothing changed")
    return first


def _guarded(work: Any) -> int:
    from backend.shared.errors import AppError

    try:
        work()
    except AppError as err:
        sys.stderr.write(f"kiosk users: [{err.code}] {err.spec.en} {err.detail}\n")
        return 1
    return 0


def run_list(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from backend.platform.db.staff_models import User
    from backend.platform.services import accounts

    factory, _ = _factory(args)
    with factory() as session:
        for user in session.scalars(select(User).order_by(User.org_code, User.username)):
            row = accounts.view(user)
            state = "active" if row["active"] else "deactivated"
            flags = " must-change-password" if row["must_change_password"] else ""
            print(f"{row['username']:<24} {row['role']:<10} {row['org_code']:<16} {state}{flags}")
    return 0


def run_add(args: argparse.Namespace) -> int:
    from backend.platform.db.session import write_transaction
    from backend.platform.services import audit, auth, org

    factory, settings = _factory(args)
    password = _password(args)

    def work() -> None:
        now = datetime.now(UTC)
        with write_transaction(factory) as session:
            org.unit(session, args.org)
            auth.create_user(session, username=args.username, password=password, role=args.role,
                             org_code=args.org, now=now, display_name=args.display_name,
                             log_n=settings.password_scrypt_log_n, must_change_password=True)
            audit.record(session, actor="kiosk users", action="user.create", target=f"user:{args.username}",
                         at=now, org_code=args.org, source="cli")
        print(f"{args.username}: added; the password must be changed at the first sign-in")

    return _guarded(work)


def run_reset(args: argparse.Namespace) -> int:
    from backend.platform.services import accounts

    factory, settings = _factory(args)
    password = _password(args)
    return _on_user(factory, args.username, "user.password_reset",
                    lambda session, user: accounts.reset_password(
                        session, user=user, new=password, log_n=settings.password_scrypt_log_n),
                    "password reset; it must be changed at the next sign-in")


def run_deactivate(args: argparse.Namespace) -> int:
    from backend.platform.services import accounts

    factory, _ = _factory(args)
    return _on_user(factory, args.username, "user.deactivate",
                    lambda session, user: accounts.set_active(session, user=user, active=False, actor_id=0),
                    "deactivated; its sessions ended")


def _on_user(factory: Any, username: str, action: str, apply: Any, said: str) -> int:
    from sqlalchemy import select

    from backend.platform.db.session import write_transaction
    from backend.platform.db.staff_models import User
    from backend.platform.services import audit
    from backend.platform.services.errors import USER_NOT_FOUND
    from backend.shared.errors import AppError

    def work() -> None:
        now = datetime.now(UTC)
        with write_transaction(factory) as session:
            user = session.scalar(select(User).where(User.username == username))
            if user is None:
                raise AppError(USER_NOT_FOUND, detail=username)
            apply(session, user)
            audit.record(session, actor="kiosk users", action=action, target=f"user:{username}", at=now,
                         org_code=user.org_code, source="cli")
        print(f"{username}: {said}")

    return _guarded(work)
