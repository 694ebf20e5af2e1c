"""``kiosk verify`` and ``kiosk keys export`` as an outside verifier would use them."""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import qrcode

from backend.shared.certificate_claims import CERTIFICATE_PREFIX, CertificateClaims
from backend.shared.tokens import base45, encode_token, generate_signer
from backend.station.services.keys import StationKeys
from support.stack import kiosk


def _token(keys: StationKeys | None = None, *, days: int = 30) -> str:
    signer = keys.signer if keys else generate_signer()
    now = datetime.now(UTC).replace(microsecond=0)
    claims = CertificateClaims("demo-station-1", "JZZM", "2026-S01-000009", "460107002001", "李四",
                               "4601*************1", bytes(16), "school", now, now + timedelta(days=days))
    return encode_token(claims.to_cwt(), signer=signer, prefix=CERTIFICATE_PREFIX,
                        issued_at=now - timedelta(days=max(0, -days) + 1), expires_at=now + timedelta(days=days))


def _flip_last_signature_byte(token: str) -> str:
    cose = bytearray(zlib.decompress(base45.decode(token[len(CERTIFICATE_PREFIX):])))
    cose[-1] ^= 0x01  # the COSE_Sign1 ends with the signature
    return CERTIFICATE_PREFIX + base45.encode(zlib.compress(bytes(cose), 9))


def _verify(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(kiosk("verify", *args), capture_output=True, text=True, timeout=60)


def test_keys_export_is_a_jwks_that_verifies_the_stations_tokens(data_dir: Path, tmp_path: Path) -> None:
    keys = StationKeys(data_dir / "keys")
    exported = subprocess.run(kiosk("keys", "export", "--data-dir", str(data_dir)),
                              capture_output=True, text=True, timeout=60)
    jwks = json.loads(exported.stdout)
    [key] = jwks["keys"]
    assert (key["kty"], key["crv"], key["alg"]) == ("OKP", "Ed25519", "EdDSA")
    raw = base64.urlsafe_b64decode(key["x"] + "=")
    spki = bytes.fromhex("302a300506032b6570032100") + raw  # RFC 8410 SubjectPublicKeyInfo
    expected_kid = base64.urlsafe_b64encode(hashlib.sha256(spki).digest()[:8]).rstrip(b"=").decode()
    assert key["kid"] == expected_kid
    assert (key["station_id"], key["station_code"]) == ("demo-station-1", "S01")  # the key's holder
    keyfile = tmp_path / "jwks.json"
    keyfile.write_text(exported.stdout)
    done = _verify(_token(keys), "--keys", str(keyfile), "--json")
    assert done.returncode == 0
    assert json.loads(done.stdout)["claims"]["holder_name"] == "李四"


def test_verify_reads_a_qr_picture(data_dir: Path, tmp_path: Path) -> None:
    keys = StationKeys(data_dir / "keys")
    picture = tmp_path / "qr.png"
    qrcode.make(_token(keys), error_correction=qrcode.constants.ERROR_CORRECT_Q).save(picture)
    done = _verify(str(picture), "--data-dir", str(data_dir))
    assert done.returncode == 0 and "VALID: genuine" in done.stdout


def test_verify_gives_the_reason_and_a_non_zero_status(data_dir: Path, tmp_path: Path) -> None:
    keys = StationKeys(data_dir / "keys")
    good = _token(keys)
    cases = {
        "token.unknown_key": _token(None),
        "token.expired": _token(keys, days=-2),
        "token.bad_signature": _flip_last_signature_byte(good),
        "token.bad_prefix": "HC1:" + good[4:],
        "token.not_base45": good[:20] + "a" + good[21:],
    }
    for code, token in cases.items():
        done = _verify(token, "--data-dir", str(data_dir), "--json")
        assert done.returncode == 1, code
        assert json.loads(done.stdout)["code"] == code
    done = _verify(str(tmp_path / "missing.png"), "--data-dir", str(data_dir))
    assert done.returncode == 1 and "cannot read image" in done.stdout
