"""Signing key files: owner-only permissions, atomic replacement, faithful reload."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from backend.shared.tokens import (
    EDDSA,
    KeyFileError,
    generate_signer,
    load_signer,
    save_signer,
)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """Run with umask 000, so only the code's own modes protect the key."""
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_saved_key_is_owner_only_even_with_open_umask(tmp_path: Path, open_umask: None) -> None:
    path = tmp_path / "keys" / "signing.pem"
    save_signer(generate_signer(), path)
    assert _mode(path) == 0o600
    assert _mode(path.parent) == 0o700


def test_existing_directory_is_made_private(tmp_path: Path) -> None:
    directory = tmp_path / "keys"
    directory.mkdir(mode=0o755)
    os.chmod(directory, 0o755)
    save_signer(generate_signer(), directory / "signing.pem")
    assert _mode(directory) == 0o700


def test_reload_gives_the_same_key(tmp_path: Path) -> None:
    signer = generate_signer(EDDSA)
    loaded = load_signer(save_signer(signer, tmp_path / "k" / "signing.pem"))
    assert loaded.kid == signer.kid and loaded.alg == EDDSA
    assert loaded.sign(b"data") == signer.sign(b"data")  # Ed25519 is deterministic


def test_replacing_a_key_is_atomic_and_leaves_no_temp_files(tmp_path: Path) -> None:
    path = tmp_path / "k" / "signing.pem"
    save_signer(generate_signer(), path)
    newer = generate_signer()
    save_signer(newer, path)
    assert load_signer(path).kid == newer.kid
    assert sorted(p.name for p in path.parent.iterdir()) == ["signing.pem"]
    assert _mode(path) == 0o600


def test_failed_write_keeps_the_old_key(tmp_path: Path) -> None:
    path = tmp_path / "k" / "signing.pem"
    old = generate_signer()
    save_signer(old, path)

    class Broken:
        alg, kid = EDDSA, b"x" * 8

        def private_pem(self) -> bytes:
            raise RuntimeError("HSM went away")

    with pytest.raises(RuntimeError):
        save_signer(Broken(), path)  # type: ignore[arg-type]
    assert load_signer(path).kid == old.kid
    assert sorted(p.name for p in path.parent.iterdir()) == ["signing.pem"]


@pytest.mark.parametrize(
    "content",
    [b"", b"not a key", b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"],
)
def test_garbage_key_file_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "signing.pem"
    path.write_bytes(content)
    with pytest.raises(KeyFileError):
        load_signer(path)


def test_key_of_an_unregistered_kind_is_refused(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption())
    path = tmp_path / "p256.pem"
    path.write_bytes(pem)
    with pytest.raises(KeyFileError, match="no registered scheme"):
        load_signer(path)


def test_loose_permissions_are_reported(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = save_signer(generate_signer(), tmp_path / "k" / "signing.pem")
    os.chmod(path, 0o644)
    load_signer(path)
    assert "readable by others" in caplog.text


def test_unknown_algorithm_cannot_be_generated() -> None:
    with pytest.raises(ValueError, match="no signature scheme"):
        generate_signer(-7)
