"""Release keys: the install-time set, plus a rotation only when an install-time key signed it."""

from __future__ import annotations

import json
from pathlib import Path

from backend.shared.releases.trust import release_keys, sign_rotation
from backend.shared.tokens.jwks import export_jwks
from backend.shared.tokens.keyfiles import generate_signer


def test_a_rotation_signed_by_an_installed_key_adds_the_new_key(tmp_path: Path) -> None:
    installed, successor, stranger = generate_signer(), generate_signer(), generate_signer()
    install_file = tmp_path / "release-keys.jwks.json"
    install_file.write_text(json.dumps(export_jwks([installed.public_key])))
    new_set = export_jwks([successor.public_key])

    assert {k.kid for k in release_keys(install_file, None)} == {installed.kid}
    good = {"release_keys": sign_rotation(new_set, installed)}
    assert {k.kid for k in release_keys(install_file, good)} == {installed.kid, successor.kid}
    forged = {"release_keys": sign_rotation(new_set, stranger)}  # e.g. made on a broken-into platform
    assert {k.kid for k in release_keys(install_file, forged)} == {installed.kid}
    assert {k.kid for k in release_keys(install_file, {"release_keys": {"jwks": new_set}})} == {installed.kid}
