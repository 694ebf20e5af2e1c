"""``kiosk verify TOKEN|IMAGE``: check a certificate's QR offline, as any verifier could.

Exit status 0 only if the certificate is genuine and valid; the reason otherwise.
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .common import add_data_dir, station_settings

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp"}


def register(commands: Any) -> None:
    parser = commands.add_parser("verify", help="verify a certificate token or a picture of its QR")
    parser.add_argument("token", metavar="TOKEN|IMAGE",
                        help="the token text (ZM1:…) or a PNG/JPEG holding the QR code")
    parser.add_argument("--keys", type=Path, help="JWKS file of trusted keys (default: this "
                        "station's keys and its cached trust list)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    add_data_dir(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from backend.shared.verification import verify_certificate

    try:
        text = _token_text(args.token)
        keys = _keys(args)
    except ValueError as err:
        return _report(args, {"valid": False, "verdict": "malformed", "code": "input.invalid",
                              "message": {"zh": str(err), "en": str(err)}, "claims": {}})
    result = verify_certificate(text, keys=keys, now=datetime.now(UTC))
    return _report(args, result.as_dict())


def _token_text(argument: str) -> str:
    path = Path(argument)
    if path.suffix.lower() in IMAGE_SUFFIXES:
        return _decode_image(path)
    return argument


def _decode_image(path: Path) -> str:
    from PIL import Image, UnidentifiedImageError

    from devices.scanner.decoder import default_decoder

    try:
        with Image.open(path) as image:
            found = default_decoder().decode(image.convert("L"))
    except (OSError, UnidentifiedImageError) as err:
        raise ValueError(f"cannot read image {path}: {err}") from err
    texts = [d.text for d in found if d.symbology == "QR_CODE" and d.text]
    if not texts:
        raise ValueError(f"no QR code found in {path}")
    return texts[0]


def _keys(args: argparse.Namespace) -> Any:
    from backend.shared.tokens import JwksError, import_jwks

    if args.keys is not None:
        try:
            return import_jwks(args.keys.read_bytes())
        except (OSError, JwksError) as err:
            raise ValueError(f"cannot use key file {args.keys}: {err}") from err
    from backend.station.runtime import own_key_binding
    from backend.station.services.keys import StationKeys

    settings = station_settings(args)
    return StationKeys(settings.keys_dir).trust(owner=own_key_binding(settings))


def _report(args: argparse.Namespace, result: dict[str, Any]) -> int:
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        word = "VALID" if result["valid"] else "INVALID"
        print(f"{word}: {result['verdict']} ({result['code']})")
        print(f"  {result['message']['en']}")
        print(f"  {result['message']['zh']}")
        claims = result.get("claims") or {}
        unverified = result.get("unverified_claims") or {}
        for key, value in claims.items():
            print(f"  {key}: {value}")
        for key, value in unverified.items():
            print(f"  (unverified) {key}: {value}")
    return 0 if result["valid"] else 1
