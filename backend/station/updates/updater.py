"""The station's updater: prepare a release beside the running one, switch, trial, commit or undo.

Where things are (``root`` is ``/opt/kiosk`` in production, a temporary folder in tests, the
layout of kioskcli/install_plan.py): ``releases/<version>/`` (the unpacked bundle and, once
installed, its virtual environment), ``current`` (a symlink to ``releases/<version>``),
``downloads/`` (bundles, ``.part`` while they arrive) and ``update-state.json`` (journal.py).

Every step is safe to cut short: the download resumes, an unpacked folder appears by one rename
and a half-installed one is redone, the state is written (fsync) before ``current`` is switched
(one rename), and the boot guard (guard.py) settles whatever a start finds. So a power cut leaves
the old release or the new one running, never neither.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from datetime import time as clock_time
from pathlib import Path
from typing import Any

from backend.shared.errors import AppError
from backend.shared.private_files import fsync_folder
from backend.shared.releases.bundle import unpack, verify_bundle
from backend.shared.releases.manifest import MANIFEST, Manifest, parse_manifest
from backend.shared.tokens.signing import KeySet

from . import journal
from .download import Opener, download
from .errors import HEALTH_FAILED, INSTALL_FAILED

log = logging.getLogger(__name__)
HEALTH_SECONDS = 120.0
UPDATE_DONE, UPDATE_FAILED = "update.done", "update.failed"
# Installs a verified, unpacked release in its folder (production: a venv from its wheels).
Installer = Callable[[Path, Manifest], None]
# (ok, what is wrong): services up, devices reopened, database migrated, platform reached.
Probe = Callable[[], tuple[bool, str]]


@dataclass(frozen=True)
class Offer:
    """What the platform's heartbeat answer says to install (see the platform's rollouts)."""

    rollout_id: int
    version: str
    size: int
    sha256: str
    rollback: bool = False
    window_start: str = "02:00"
    window_end: str = "05:00"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Offer:
        return cls(rollout_id=int(data["rollout_id"]), version=str(data["version"]), size=int(data["size"]),
                   sha256=str(data["sha256"]), rollback=bool(data.get("rollback", False)),
                   window_start=str(data.get("window_start", "02:00")),
                   window_end=str(data.get("window_end", "05:00")))


def in_window(moment: datetime, start: str, end: str) -> bool:
    """Whether a local time is inside ``start``–``end`` (``22:00``–``04:00`` wraps midnight)."""
    begin, finish, now = _hhmm(start), _hhmm(end), moment.time().replace(tzinfo=None)
    if begin <= finish:
        return begin <= now < finish
    return now >= begin or now < finish


def _hhmm(text: str) -> clock_time:
    hours, minutes = text.split(":")
    return clock_time(int(hours), int(minutes))


class Updater:
    """One station's updates; every method may be interrupted at any line by a power cut."""

    def __init__(self, root: Path, *, database: Path, backups: Path, trusted: Callable[[], KeySet],
                 installer: Installer, report: Callable[[str, dict[str, Any]], None],
                 restart: Callable[[], None], role: str = "station",
                 checkpoint: Callable[[str], None] = lambda step: None,
                 clock: Callable[[], float] = time.time) -> None:
        self.root, self.database, self.backups = root, database, backups
        self.trusted, self.installer, self.report, self.restart = trusted, installer, report, restart
        self.role, self.checkpoint, self.clock = role, checkpoint, clock
        self.running = journal.current_version(root)  # what this process was started from

    # ---- at start ------------------------------------------------------------------------------

    def on_start(self) -> str:
        """Before the database opens: finish a rollback (restore the backup); say what is pending."""
        state = journal.read(self.root)
        if not state or state["phase"] in journal.FINAL:
            return "idle"
        if state["phase"] == journal.ROLLING_BACK and self.running == state["previous"]:
            if state.get("migrates") and state.get("backup"):
                restore_database(Path(state["backup"]), self.database)
            state.update(phase=journal.FAILED, reported=False, finished_at=self.clock())
            journal.write(self.root, state)
            log.warning("update to %s rolled back: %s", state["version"], state.get("reason"))
            return "rolled back"
        if state["phase"] == journal.TRIAL:
            # Only the release on trial judges itself; the old one started without the guard waits.
            return "trial" if self.running == state["version"] else "trial of another release"
        return state["phase"]

    def report_pending(self) -> None:
        """Report a finished update once (after start, when the outbox is open)."""
        state = journal.read(self.root)
        if not state or state["phase"] not in journal.FINAL or state.get("reported", True):
            return
        done = state["phase"] == journal.COMMITTED
        payload = {"rollout_id": state.get("rollout_id"), "version": state["version"],
                   "previous": state.get("previous"), "code": state.get("code", ""),
                   "reason": state.get("reason", ""),
                   "seconds": round(float(state.get("finished_at", 0))
                                    - float(state.get("started_at", 0)), 1)}
        self.report(UPDATE_DONE if done else UPDATE_FAILED, payload)
        state["reported"] = True
        journal.write(self.root, state)

    # ---- on trial ------------------------------------------------------------------------------

    def trial(self, probe: Probe, *, deadline: float = HEALTH_SECONDS, every: float = 1.0,
              stop: threading.Event | None = None) -> bool:
        """Run the health check until it passes or the deadline; commit, or switch back and restart."""
        state = journal.read(self.root)
        if not state or state["phase"] != journal.TRIAL or state["version"] != self.running:
            return True
        started = time.monotonic()
        ok, problem = False, "not checked"
        while time.monotonic() - started < deadline and not (stop and stop.is_set()):
            try:
                ok, problem = probe()
            except Exception as err:  # a probe that breaks is a failed check, not a dead thread
                ok, problem = False, f"{type(err).__name__}: {err}"
            if ok:
                break
            time.sleep(every)
        if stop and stop.is_set() and not ok:
            return False  # stopping: the next start goes on with the trial
        state = journal.read(self.root) or state
        if ok:
            state.update(phase=journal.COMMITTED, reported=False, finished_at=self.clock())
            journal.write(self.root, state)
            log.info("update to %s committed", state["version"])
            self.report_pending()
            self.prune(keep={state["version"], state.get("previous") or ""})
            return True
        state.update(phase=journal.ROLLING_BACK, code=HEALTH_FAILED,
                     reason=f"health check failed within {deadline:g} s: {problem}")
        journal.write(self.root, state)
        self.checkpoint("rollback_state_written")
        journal.switch_current(self.root, state["previous"])
        log.error("update to %s failed its health check (%s); switched back to %s", state["version"],
                  problem, state["previous"])
        self.restart()
        return False

    # ---- preparing and switching ----------------------------------------------------------------

    def prepare(self, offer: Offer, open_from: Opener, *, rate: int = 0,
                stop: Callable[[], bool] = lambda: False) -> bool:
        """Download, verify and install ``offer`` beside the running release; True when ready.

        A refused bundle is recorded as failed and reported (never retried for that rollout)."""
        state = journal.read(self.root)
        if state and state.get("rollout_id") == offer.rollout_id and state.get("version") == offer.version:
            # Ready to switch; or done, refused, failed or under way for this rollout: not again.
            return state["phase"] in (journal.PREPARED, journal.BACKED_UP)
        if offer.version == self.running:
            return False
        downloads = self.root / "downloads"
        bundle_path = download(open_from, downloads / f"kiosk-{offer.version}.tar", size=offer.size,
                               sha256=offer.sha256, rate=rate, stop=stop)
        self.checkpoint("downloaded")
        started = self.clock()
        try:
            bundle = verify_bundle(bundle_path, trusted=self.trusted(), role=self.role, running=self.running,
                                   rollback=offer.rollback)
            release = self.root / "releases" / offer.version
            shutil.rmtree(release, ignore_errors=True)  # a half-installed one from a cut: redo it
            release.parent.mkdir(parents=True, exist_ok=True)
            unpack(bundle, release)
            self.checkpoint("unpacked")
            self.installer(release, bundle.manifest)
        except AppError as err:
            self._refused(offer, err.code, err.detail or err.spec.en, started)
            bundle_path.unlink(missing_ok=True)
            return False
        except (OSError, subprocess.CalledProcessError) as err:
            self._refused(offer, INSTALL_FAILED, str(err)[:300], started)
            return False
        journal.write(self.root, {"phase": journal.PREPARED, "rollout_id": offer.rollout_id,
                                  "version": offer.version, "previous": self.running,
                                  "rollback": offer.rollback, "started_at": started,
                                  "migrates": _migrates(bundle.manifest, self.database, self.role)})
        self.checkpoint("prepared")
        log.info("release %s ready beside %s", offer.version, self.running)
        return True

    def switch(self) -> None:
        """Back up the database, switch ``current`` to the prepared release and restart."""
        state = journal.read(self.root)
        if not state or state["phase"] not in (journal.PREPARED, journal.BACKED_UP):
            return
        # Always a fresh copy: one from an earlier, interrupted switch would lose what came since.
        backup = backup_database(self.database, self.backups, state["version"])
        state.update(phase=journal.BACKED_UP, backup=str(backup) if backup else "")
        journal.write(self.root, state)
        self.checkpoint("backed_up")
        install_guard(self.root)
        state["phase"] = journal.SWITCHING
        journal.write(self.root, state)
        self.checkpoint("switching")
        journal.switch_current(self.root, state["version"])
        self.checkpoint("switched")
        state.update(phase=journal.TRIAL, switched_at=self.clock(), starts=0)
        journal.write(self.root, state)
        self.checkpoint("trial")
        log.info("switched to %s; restarting", state["version"])
        self.restart()

    def prune(self, *, keep: set[str]) -> None:
        """Remove releases other than ``keep`` (the running one and the one before) and downloads."""
        for folder in (self.root / "releases").iterdir():
            if folder.name not in keep and folder.name != self.running:
                shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(self.root / "downloads", ignore_errors=True)

    def _refused(self, offer: Offer, code: str, detail: str, started: float) -> None:
        log.error("release %s refused: %s (%s)", offer.version, code, detail)
        journal.write(self.root, {"phase": journal.FAILED, "rollout_id": offer.rollout_id,
                                  "version": offer.version, "previous": self.running, "code": code,
                                  "reason": detail, "reported": False, "started_at": started,
                                  "finished_at": self.clock()})
        self.report_pending()


def _migrates(manifest: Manifest, database: Path, role: str) -> bool:
    target = manifest.schemas.get(role, {}).get("to", "")
    return bool(target) and target != database_revision(database)


def database_revision(database: Path) -> str:
    if not database.exists():
        return ""
    connection = sqlite3.connect(database)
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        return ""
    finally:
        connection.close()
    return str(row[0]) if row else ""


def backup_database(database: Path, folder: Path, version: str) -> Path | None:
    """A consistent copy of the live SQLite database, durably in place before the switch."""
    if not database.exists():
        return None
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"pre-update-{version}.db"
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.unlink(missing_ok=True)
    source, copy = sqlite3.connect(database, timeout=30), sqlite3.connect(tmp)
    try:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
    finally:
        source.close()
        copy.close()
    os.chmod(tmp, 0o600)
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, target)
    fsync_folder(folder)
    return target


def restore_database(backup: Path, database: Path) -> None:
    """Put the pre-update copy back (the old release cannot read a migrated schema)."""
    tmp = database.with_name(f".{database.name}.restore")
    shutil.copyfile(backup, tmp)
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    for suffix in ("-wal", "-shm"):
        database.with_name(database.name + suffix).unlink(missing_ok=True)
    os.replace(tmp, database)
    fsync_folder(database.parent)


def venv_installer(release: Path, manifest: Manifest) -> None:
    """Production: the release's own virtual environment, offline, from exactly its wheels."""
    subprocess.run(["python3", "-m", "venv", str(release)], check=True, capture_output=True)
    # No cache: the unit lets the station write only its data folder and /opt/kiosk.
    subprocess.run([str(release / "bin" / "pip"), "install", "--quiet", "--no-cache-dir", "--no-index",
                    "--find-links", str(release / "wheels"), "--constraint", str(release / "constraints.txt"),
                    f"smart-service-station=={manifest.version}"], check=True, capture_output=True)


def unpacked_installer(release: Path, manifest: Manifest) -> None:
    """Development machines and tests: the project's wheel unpacked into ``site/`` and run by this
    interpreter with the dependencies of its environment (no venv, no dependency wheels needed).
    The release's own code really runs; only its dependencies are shared."""
    wheel = next((release / "wheels").glob("smart_service_station-*.whl"), None)
    if wheel is None:
        raise OSError(f"no project wheel in {release / 'wheels'}")
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(release / "site")
    entry = release / "bin" / "kiosk"
    entry.parent.mkdir(exist_ok=True)
    # -P and a PYTHONPATH of its own: only this release's code, whatever the caller's path or folder.
    site = release / "site"
    entry.write_text(f"#!/bin/sh\n# Release {manifest.version}: its wheel unpacked, run by {sys.executable}\n"
                     f'cd "{release}" && PYTHONPATH="{site}" exec "{sys.executable}" -P -m kioskcli "$@"\n')
    entry.chmod(0o755)


INSTALLERS: dict[str, Installer] = {"venv": venv_installer, "unpacked": unpacked_installer}


def install_guard(root: Path) -> None:
    """Copy the boot guard (and its state file code) beside the releases, from the running one,
    so the guard that judges a new release is never the new release's own."""
    folder = root / "guard"
    folder.mkdir(parents=True, exist_ok=True)
    here = Path(__file__).resolve().parent
    for name in ("guard.py", "journal.py"):
        journal.write_durably(folder / name, (here / name).read_bytes())


def release_manifest(root: Path, version: str) -> Manifest | None:
    try:
        return parse_manifest((root / "releases" / version / MANIFEST).read_bytes())
    except (OSError, AppError):
        return None
