"""``kiosk install`` / ``kiosk uninstall``: put a station or a platform on a Debian 12 machine.

A system user ``kiosk``; the release in ``/opt/kiosk/releases/<version>`` (its own virtual
environment, pinned) with ``/opt/kiosk/current`` pointing at it; configuration in ``/etc/kiosk``;
data in ``/var/lib/kiosk``; systemd units (logs to the journal) and, for a station, udev rules
and the kiosk screen session. ``--dry-run`` prints every step; ``--root DIR`` stages the files
into a folder (an image being built) and lists the steps that need the machine itself.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from .install_plan import install_plan, run_plan, uninstall_plan

ROOT = Path(__file__).resolve().parents[1]


def register(commands: Any) -> None:
    install = commands.add_parser("install", help="install as system services (Debian 12, as root)")
    install.add_argument("--role", choices=["station", "platform"], required=True)
    install.add_argument("--bundle", type=Path, help="a signed release bundle (default: this tree)")
    install.add_argument("--trust", type=Path, help="JWKS of trusted release keys (with --bundle)")
    _common(install)
    install.add_argument("--no-start", action="store_true", help="install but do not start")
    install.set_defaults(run=run_install)

    uninstall = commands.add_parser("uninstall", help="remove the services and releases")
    uninstall.add_argument("--role", choices=["station", "platform"], required=True)
    uninstall.add_argument("--purge", action="store_true",
                           help="also DELETE /etc/kiosk and /var/lib/kiosk (asks to confirm)")
    uninstall.add_argument("--yes", action="store_true", help="confirm --purge without asking")
    _common(uninstall)
    uninstall.set_defaults(run=run_uninstall)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dry-run", action="store_true", help="print what it would do, change nothing")
    parser.add_argument("--root", type=Path, default=Path("/"),
                        help="install the files under this folder instead of / (image staging)")


def run_install(args: argparse.Namespace) -> int:
    from backend.shared.releases.build import project_version

    if not _may_change(args):
        return 2
    with tempfile.TemporaryDirectory(prefix="kiosk-install-") as tmp:
        wheels, version = None, project_version(ROOT)
        if args.bundle:
            unpacked = _verified_bundle(args, Path(tmp))
            if unpacked is None:
                return 1
            wheels, version = unpacked
        plan = install_plan(args.role, root=args.root, version=version, source=ROOT, wheels=wheels,
                            start=not args.no_start, release_keys=args.trust)
        return _carry_out(plan, args, f"installed the {args.role} {version}")


def run_uninstall(args: argparse.Namespace) -> int:
    if not _may_change(args):
        return 2
    if args.purge and not args.dry_run and not args.yes and not _confirm():
        print("kiosk uninstall: nothing removed")
        return 1
    plan = uninstall_plan(args.role, root=args.root, purge=args.purge)
    return _carry_out(plan, args, f"removed the {args.role}")


def _carry_out(plan: Any, args: argparse.Namespace, done: str) -> int:
    if args.dry_run:
        print(f"kiosk {args.command}: would do, under {args.root}:")
        for number, step in enumerate(plan.steps, 1):
            print(f"  {number:2}. {step.describe()}")
        return 0
    skipped = run_plan(plan, root=args.root)
    print(f"kiosk {args.command}: {done} under {args.root}")
    if skipped:
        print("  left for the machine itself (staged into a folder):")
        for what in skipped:
            print(f"   - {what}")
    return 0


def _may_change(args: argparse.Namespace) -> bool:
    if args.dry_run or args.root != Path("/") or os.geteuid() == 0:
        return True
    sys.stderr.write(f"kiosk {args.command}: run as root (or --dry-run, or --root DIR)\n")
    return False


def _confirm() -> bool:
    print("This DELETES /etc/kiosk and /var/lib/kiosk: the station's database, keys and backups.\n"
          "Back up first with `kiosk backup`. Type DELETE to go on: ", end="", flush=True)
    try:
        return input().strip() == "DELETE"
    except EOFError:
        return False


def _verified_bundle(args: argparse.Namespace, tmp: Path) -> tuple[Path, str] | None:
    from backend.shared.errors import AppError
    from backend.shared.releases.bundle import unpack, verify_bundle
    from backend.shared.tokens.jwks import import_jwks

    if args.trust is None:
        sys.stderr.write("kiosk install: --bundle needs --trust (the release public keys)\n")
        return None
    try:
        bundle = verify_bundle(args.bundle, trusted=import_jwks(args.trust.read_bytes()),
                               role=args.role, running=None)
        folder = unpack(bundle, tmp / "bundle")
    except AppError as err:
        sys.stderr.write(f"kiosk install: {err.code}: {err.spec.zh} {err.spec.en} {err.detail}\n")
        return None
    return folder / "wheels", bundle.manifest.version
