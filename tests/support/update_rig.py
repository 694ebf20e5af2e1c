"""A station's release root in a temporary folder, signed bundles to update it with, and an
``Updater`` wired to them. What is real: the bundles (tar, manifest, Ed25519 signature), the
verification, the unpacking, the state file, the symlink switch, the SQLite backup and restore,
the boot guard and the HTTP download. What is not: the "installer" writes a marker file where
production builds a virtual environment from the wheels (see updater.venv_installer)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import httpx

from backend.shared.releases.bundle import read_bundle, sign_bundle, write_bundle
from backend.shared.releases.manifest import Manifest, sha256_hex
from backend.shared.tokens.keyfiles import generate_signer, load_signer, save_signer
from backend.shared.tokens.signing import KeySet, Signer
from backend.station.updates import journal
from backend.station.updates.updater import Offer, Updater

OLD, NEW = "1.0.0", "1.1.0"
INSTALLED = "installed"


def make_bundle(folder: Path, signer: Signer | None, *, version: str = NEW, roles: tuple[str, ...] = ("station",),
                schema_to: str = "0006", tamper: bool = False) -> Path:
    files = {f"wheels/smart_service_station-{version}-py3-none-any.whl": os.urandom(2048) + version.encode(),
             "constraints.txt": b"fastapi==0.1\n"}
    manifest = Manifest(version=version, roles=roles, min_previous_version="0.1.0",
                        files={n: sha256_hex(d) for n, d in files.items()},
                        sizes={n: len(d) for n, d in files.items()},
                        schemas={"station": {"from": "0001", "to": schema_to}})
    path = write_bundle(folder / f"kiosk-{version}.tar", manifest, files)
    if signer is not None:
        sign_bundle(path, signer)
    if tamper:  # the signed manifest stays; one wheel's bytes change afterwards
        bundle = read_bundle(path)
        changed = {name: (data + b"!" if name.endswith(".whl") else data) for name, data in bundle.files.items()}
        write_bundle(path, bundle.manifest, changed, bundle.signature)
    return path


def offer_for(bundle: Path, *, rollout_id: int = 1, rollback: bool = False) -> Offer:
    version = bundle.name.removeprefix("kiosk-").removesuffix(".tar")
    data = bundle.read_bytes()
    return Offer(rollout_id=rollout_id, version=version, size=len(data), sha256=sha256_hex(data),
                 rollback=rollback)


def make_root(base: Path) -> Path:
    """``root`` with release OLD installed and current, and a station database at schema 0005."""
    root = base / "opt"
    old = root / "releases" / OLD
    old.mkdir(parents=True)
    (old / INSTALLED).write_text(OLD)
    journal.switch_current(root, OLD)
    data = base / "data"
    data.mkdir()
    connection = sqlite3.connect(data / "station.db")
    connection.executescript("CREATE TABLE alembic_version (version_num TEXT);"
                             "INSERT INTO alembic_version VALUES ('0005');"
                             "CREATE TABLE residents_seen (n INTEGER); INSERT INTO residents_seen VALUES (7);")
    connection.commit()
    connection.close()
    return root


def marker_installer(release: Path, manifest: Manifest) -> None:
    (release / INSTALLED).write_text(manifest.version)


def file_opener(bundle: Path) -> Callable[[int], AbstractContextManager[httpx.Response]]:
    """Opens the bundle from an offset, as the platform would with a Range request."""
    @contextmanager
    def open_from(offset: int) -> Iterator[httpx.Response]:
        data = bundle.read_bytes()[offset:]
        yield httpx.Response(206 if offset else 200, content=data)
    return open_from


class Recorder:
    def __init__(self) -> None:
        self.reports: list[tuple[str, dict[str, Any]]] = []
        self.restarts = 0

    def report(self, kind: str, payload: dict[str, Any]) -> None:
        self.reports.append((kind, payload))

    def restart(self) -> None:
        self.restarts += 1


def updater(root: Path, trusted: KeySet, recorder: Recorder, *,
            checkpoint: Callable[[str], None] = lambda step: None) -> Updater:
    data = root.parent / "data"
    return Updater(root, database=data / "station.db", backups=data / "backups", trusted=lambda: trusted,
                   installer=marker_installer, report=recorder.report, restart=recorder.restart,
                   checkpoint=checkpoint)


def running_release_is_whole(root: Path) -> str:
    """The version ``current`` points at, after checking that release is complete."""
    version = journal.current_version(root)
    assert version is not None, "no current release"
    assert (root / "releases" / version / INSTALLED).read_text() == version
    return version


def power_cut_child(base: str, key_file: str, bundle: str, step: str) -> None:
    """Run prepare + switch in this process and die by SIGKILL right after ``step``."""
    root = Path(base) / "opt"
    signer = load_signer(Path(key_file))

    def cut(at: str) -> None:
        if at == step:
            os.kill(os.getpid(), signal.SIGKILL)

    recorder = Recorder()
    update = updater(root, KeySet([signer.public_key]), recorder, checkpoint=cut)
    if update.on_start() == "trial":
        update.trial(lambda: (False, "platform not reached"), deadline=0.2, every=0.05)
    else:
        offer = offer_for(Path(bundle))
        if update.prepare(offer, file_opener(Path(bundle))):
            update.switch()
    sys.stdout.write(json.dumps({"restarts": recorder.restarts, "reports": recorder.reports}))


def new_key(folder: Path) -> tuple[Signer, Path]:
    signer = generate_signer()
    path = folder / "release.pem"
    save_signer(signer, path)
    return signer, path


if __name__ == "__main__":
    power_cut_child(*sys.argv[1:5])
