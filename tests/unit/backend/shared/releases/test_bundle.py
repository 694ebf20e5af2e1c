"""Release bundles: a good one verifies and unpacks; every kind of bad one is refused by its code."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest

from backend.shared.errors import AppError
from backend.shared.releases.bundle import read_bundle, sign_bundle, unpack, verify_bundle, write_bundle
from backend.shared.releases.manifest import Manifest, sha256_hex
from backend.shared.tokens.keyfiles import generate_signer
from backend.shared.tokens.signing import KeySet

FILES = {"wheels/smart_service_station-2.0.0-py3-none-any.whl": b"wheel bytes" * 100,
         "constraints.txt": b"fastapi==0.1\n"}


def _bundle(path: Path, *, version: str = "2.0.0", roles: tuple[str, ...] = ("station",),
            min_previous: str = "1.0.0", files: dict[str, bytes] | None = None) -> Path:
    files = files or FILES
    manifest = Manifest(version=version, roles=roles, min_previous_version=min_previous,
                        files={n: sha256_hex(d) for n, d in files.items()},
                        sizes={n: len(d) for n, d in files.items()})
    return write_bundle(path / f"kiosk-{version}.tar", manifest, files)


@pytest.fixture
def key():  # type: ignore[no-untyped-def]
    return generate_signer()


def _verify(path: Path, key, **kwargs):  # type: ignore[no-untyped-def]
    options = {"role": "station", "running": "1.5.0", **kwargs}
    return verify_bundle(path, trusted=KeySet([key.public_key]), **options)


def _refused(code: str, path: Path, key, **kwargs) -> AppError:  # type: ignore[no-untyped-def]
    with pytest.raises(AppError) as caught:
        _verify(path, key, **kwargs)
    assert caught.value.code == code
    assert caught.value.spec.zh and caught.value.spec.en
    return caught.value


def test_a_signed_bundle_verifies_and_unpacks_whole(tmp_path: Path, key) -> None:  # type: ignore[no-untyped-def]
    path = sign_bundle(_bundle(tmp_path), key)
    bundle = _verify(path, key)
    assert bundle.manifest.version == "2.0.0"
    target = unpack(bundle, tmp_path / "release")
    assert {str(p.relative_to(target)) for p in target.rglob("*") if p.is_file()} == {*FILES, "manifest.json"}
    assert (target / "constraints.txt").read_bytes() == FILES["constraints.txt"]


def test_unsigned_unknown_key_and_forged_signature_are_refused(tmp_path: Path, key) -> None:  # type: ignore[no-untyped-def]
    path = _bundle(tmp_path)
    _refused("release.unsigned", path, key)
    sign_bundle(path, generate_signer())
    _refused("release.unknown_key", path, key)
    # The trusted key's signature over another manifest, pasted onto this one.
    other = sign_bundle(_bundle(tmp_path / "other", version="2.0.1"), key)
    signature = read_bundle(other).signature
    original = read_bundle(path)
    write_bundle(path, original.manifest, original.files, signature)
    _refused("release.bad_signature", path, key)


def test_a_tampered_or_missing_file_is_refused(tmp_path: Path, key) -> None:  # type: ignore[no-untyped-def]
    path = sign_bundle(_bundle(tmp_path), key)
    good = read_bundle(path)
    changed = {**good.files, "constraints.txt": b"fastapi==6.6.6\n"}
    write_bundle(path, good.manifest, changed, good.signature)
    assert "constraints.txt" in _refused("release.tampered", path, key).detail
    write_bundle(path, good.manifest, {"constraints.txt": FILES["constraints.txt"]}, good.signature)
    _refused("release.tampered", path, key)


def test_downgrade_only_as_a_rollback_and_never_from_too_old(tmp_path: Path, key) -> None:  # type: ignore[no-untyped-def]
    path = sign_bundle(_bundle(tmp_path), key)
    _refused("release.downgrade", path, key, running="2.1.0")
    assert _verify(path, key, running="2.1.0", rollback=True).manifest.version == "2.0.0"
    _refused("release.previous_too_old", path, key, running="0.9.0")


def test_a_bundle_for_another_role_is_refused(tmp_path: Path, key) -> None:  # type: ignore[no-untyped-def]
    path = sign_bundle(_bundle(tmp_path, roles=("platform",)), key)
    _refused("release.wrong_role", path, key)


def test_not_a_bundle(tmp_path: Path, key) -> None:  # type: ignore[no-untyped-def]
    junk = tmp_path / "junk.tar"
    junk.write_bytes(b"not a tar at all")
    _refused("release.not_a_bundle", junk, key)
    # A member that climbs out of the release folder.
    evil = tmp_path / "evil.tar"
    with tarfile.open(evil, "w") as tar:
        data = json.dumps({"format": "kiosk-release/1"}).encode()
        info = tarfile.TarInfo("../manifest.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    _refused("release.not_a_bundle", evil, key)


def test_a_full_disk_refuses_before_writing(tmp_path: Path, key, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    bundle = _verify(sign_bundle(_bundle(tmp_path), key), key)
    import shutil

    monkeypatch.setattr(shutil, "disk_usage", lambda _path: shutil._ntuple_diskusage(10, 10, 10))  # type: ignore[attr-defined]
    with pytest.raises(AppError) as caught:
        unpack(bundle, tmp_path / "release")
    assert caught.value.code == "release.disk_full"
    assert not (tmp_path / "release").exists()
