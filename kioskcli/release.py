"""``kiosk release``: build, sign and verify the bundles that update stations over the air.

The signing key stays on a staff laptop: ``keygen`` writes it (mode 0600) with its public JWKS,
``build`` makes an unsigned bundle, ``sign`` signs it, ``verify`` checks it as a station would.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from backend.shared.errors import AppError

ROOT = Path(__file__).resolve().parents[1]


def register(commands: Any) -> None:
    parser = commands.add_parser("release", help="build, sign and verify update bundles")
    actions = parser.add_subparsers(dest="release_command", required=True, metavar="ACTION")

    keygen = actions.add_parser("keygen", help="make a release signing key and its public JWKS")
    keygen.add_argument("--out", type=Path, required=True, help="private key file to write (PEM)")
    keygen.set_defaults(run=run_keygen)

    build = actions.add_parser("build", help="build an unsigned bundle of this project")
    build.add_argument("--source", type=Path, default=ROOT, help="project tree (default: this one)")
    build.add_argument("--out", type=Path, default=Path("dist"), help="folder for the bundle")
    build.add_argument("--version", help="release version (default: the project's)")
    build.add_argument("--min-previous", default="0", help="oldest version that may update to it")
    build.add_argument("--role", choices=["station", "platform"], action="append",
                       help="roles it is for (default both)")
    build.add_argument("--project-only", action="store_true",
                       help="only the project's wheel, not its dependencies (for tests)")
    build.set_defaults(run=run_build)

    sign = actions.add_parser("sign", help="sign a bundle with a release key")
    sign.add_argument("bundle", type=Path)
    sign.add_argument("--key", type=Path, required=True)
    sign.set_defaults(run=run_sign)

    rotate = actions.add_parser("rotate", help="vouch for new release keys with a trusted one")
    rotate.add_argument("--key", type=Path, required=True, help="a release key the stations trust now")
    rotate.add_argument("--new", type=Path, required=True, help="JWKS of the keys to trust from now on")
    rotate.add_argument("--out", type=Path, required=True,
                        help="statement to PUT to /api/staff/release-keys")
    rotate.set_defaults(run=run_rotate)

    verify = actions.add_parser("verify", help="check a bundle as a station would")
    verify.add_argument("bundle", type=Path)
    verify.add_argument("--trust", type=Path, required=True, help="JWKS of trusted release keys")
    verify.add_argument("--role", choices=["station", "platform"], default="station")
    verify.add_argument("--running", help="the version running now (refuses downgrades)")
    verify.add_argument("--rollback", action="store_true", help="allow an older version")
    verify.add_argument("--json", action="store_true")
    verify.set_defaults(run=run_verify)


def run_keygen(args: argparse.Namespace) -> int:
    from backend.shared.tokens.jwks import export_jwks
    from backend.shared.tokens.keyfiles import generate_signer, save_signer

    signer = generate_signer()
    save_signer(signer, args.out)
    public = args.out.with_name(args.out.name + ".jwks.json")
    public.write_text(json.dumps(export_jwks([signer.public_key]), indent=1))
    print(f"private key: {args.out} (keep it off the platform)\npublic keys: {public}")
    return 0


def run_build(args: argparse.Namespace) -> int:
    from backend.shared.releases.build import BuildError, build_release

    roles = tuple(args.role) if args.role else ("station", "platform")
    try:
        path = build_release(args.source.resolve(), args.out.resolve(), version=args.version,
                             min_previous=args.min_previous, project_only=args.project_only,
                             roles=roles)
    except BuildError as err:
        sys.stderr.write(f"kiosk release build: {err}\n")
        return 1
    print(path)
    return 0


def run_sign(args: argparse.Namespace) -> int:
    from backend.shared.releases.bundle import sign_bundle
    from backend.shared.tokens.keyfiles import load_signer

    try:
        sign_bundle(args.bundle, load_signer(args.key))
    except AppError as err:
        return _refused("sign", err)
    print(f"signed {args.bundle}")
    return 0


def run_rotate(args: argparse.Namespace) -> int:
    from backend.shared.releases.trust import sign_rotation
    from backend.shared.tokens.jwks import JwksError
    from backend.shared.tokens.keyfiles import load_signer

    try:
        statement = sign_rotation(json.loads(args.new.read_text()), load_signer(args.key))
    except (OSError, ValueError, JwksError) as err:
        sys.stderr.write(f"kiosk release rotate: {err}\n")
        return 1
    args.out.write_text(json.dumps(statement, indent=1))
    print(f"rotation statement: {args.out} (PUT it to /api/staff/release-keys; stations trust its "
          "keys because a key they trust signed it)")
    return 0


def run_verify(args: argparse.Namespace) -> int:
    from backend.shared.releases.bundle import verify_bundle
    from backend.shared.tokens.jwks import JwksError, import_jwks

    try:
        trusted = import_jwks(args.trust.read_bytes())
    except (OSError, JwksError) as err:
        sys.stderr.write(f"kiosk release verify: cannot read trusted keys {args.trust}: {err}\n")
        return 2
    try:
        bundle = verify_bundle(args.bundle, trusted=trusted, role=args.role, running=args.running,
                               rollback=args.rollback)
    except AppError as err:
        if args.json:
            print(json.dumps({"ok": False, **err.as_dict()}, ensure_ascii=False))
            return 1
        return _refused("verify", err)
    manifest = bundle.manifest
    if args.json:
        print(json.dumps({"ok": True, "version": manifest.version, "roles": list(manifest.roles),
                          "files": len(manifest.files), "bytes": manifest.unpacked_size}))
    else:
        print(f"ok: release {manifest.version} for {', '.join(manifest.roles)}, "
              f"{len(manifest.files)} files, {manifest.unpacked_size:,} bytes, signature and hashes good")
    return 0


def _refused(action: str, err: AppError) -> int:
    sys.stderr.write(f"kiosk release {action}: {err.code}: {err.spec.zh} {err.spec.en}"
                     f"{f' ({err.detail})' if err.detail else ''}\n")
    return 1
