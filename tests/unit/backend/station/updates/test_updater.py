"""The station's updater on a release root in a temporary folder: a good update commits, a failing
health check or a crash loop rolls back (restoring the database), each refusal is reported with its
code, and a power cut (SIGKILL) after any step leaves a whole release running."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from backend.shared.errors import AppError
from backend.shared.tokens.keyfiles import generate_signer
from backend.shared.tokens.signing import KeySet
from backend.station.updates import guard, journal
from backend.station.updates.download import RateLimit, download
from backend.station.updates.updater import in_window
from support.range_server import RangeServer
from support.update_rig import (
    NEW,
    OLD,
    Recorder,
    file_opener,
    make_bundle,
    make_root,
    new_key,
    offer_for,
    running_release_is_whole,
    updater,
)

SUPPORT = Path(__file__).resolve().parents[5] / "tests" / "support"


@pytest.fixture
def rig(tmp_path: Path):
    signer, key_file = new_key(tmp_path)
    root = make_root(tmp_path)
    bundle = make_bundle(tmp_path, signer)
    return root, signer, key_file, bundle


def _rows(root: Path) -> list[str]:
    connection = sqlite3.connect(root.parent / "data" / "station.db")
    try:
        return [r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    finally:
        connection.close()


def _migrate(root: Path) -> None:
    """What the new release's start does: migrate the schema."""
    connection = sqlite3.connect(root.parent / "data" / "station.db")
    connection.executescript("CREATE TABLE new_things (n INTEGER); UPDATE alembic_version SET version_num='0006';")
    connection.commit()
    connection.close()


def test_a_good_update_switches_restarts_passes_its_check_and_is_reported(rig) -> None:
    root, signer, _, bundle = rig
    old = Recorder()
    station = updater(root, KeySet([signer.public_key]), old)
    assert station.prepare(offer_for(bundle), file_opener(bundle))
    assert journal.current_version(root) == OLD  # prepared beside the running release
    station.switch()
    assert old.restarts == 1 and journal.current_version(root) == NEW
    assert (root.parent / "data" / "backups" / f"pre-update-{NEW}.db").exists()

    assert guard.guard(root).startswith("trial start 1")
    new = Recorder()
    restarted = updater(root, KeySet([signer.public_key]), new)
    assert restarted.on_start() == "trial"
    _migrate(root)
    assert restarted.trial(lambda: (True, ""), deadline=5)
    assert journal.read(root)["phase"] == journal.COMMITTED  # type: ignore[index]
    assert [kind for kind, _ in new.reports] == ["update.done"]
    assert new.reports[0][1] | {"seconds": 0} == {"rollout_id": 1, "version": NEW, "previous": OLD, "code": "",
                                                  "reason": "", "seconds": 0}
    assert guard.guard(root) == "nothing pending" and running_release_is_whole(root) == NEW


def test_a_failing_health_check_switches_back_restores_the_database_and_reports(rig) -> None:
    root, signer, _, bundle = rig
    trusted = KeySet([signer.public_key])
    station = updater(root, trusted, Recorder())
    assert station.prepare(offer_for(bundle), file_opener(bundle))
    station.switch()
    guard.guard(root)
    new = Recorder()
    on_trial = updater(root, trusted, new)
    assert on_trial.on_start() == "trial"
    _migrate(root)
    assert not on_trial.trial(lambda: (False, "platform not reached"), deadline=0.3, every=0.05)
    assert new.restarts == 1 and journal.current_version(root) == OLD

    guard.guard(root)
    back = Recorder()
    old = updater(root, trusted, back)
    assert old.on_start() == "rolled back"
    assert "new_things" not in _rows(root)  # the migrated database was put back
    old.report_pending()
    (kind, payload), = back.reports
    assert kind == "update.failed" and payload["code"] == "update.health_failed"
    assert "platform not reached" in payload["reason"]
    old.report_pending()
    assert len(back.reports) == 1  # reported once


def test_a_release_that_crashes_in_a_loop_is_switched_back_by_the_guard(rig) -> None:
    root, signer, _, bundle = rig
    station = updater(root, KeySet([signer.public_key]), Recorder())
    assert station.prepare(offer_for(bundle), file_opener(bundle))
    station.switch()
    for start in (1, 2, 3):
        assert guard.guard(root) == f"trial start {start} of {NEW}"  # ... and it dies each time
    assert "crash loop" in guard.guard(root)
    assert running_release_is_whole(root) == OLD
    back = Recorder()
    old = updater(root, KeySet([signer.public_key]), back)
    assert old.on_start() == "rolled back"
    old.report_pending()
    assert back.reports[0][0] == "update.failed" and back.reports[0][1]["code"] == "update.crash_loop"


@pytest.mark.parametrize("case, code", [
    ("bad_signature", "release.bad_signature"), ("tampered", "release.tampered"),
    ("unknown_key", "release.unknown_key"), ("downgrade", "release.downgrade"),
    ("other_role", "release.wrong_role"), ("full_disk", "release.disk_full"),
])
def test_refusals_are_reported_with_their_code_and_leave_the_old_release(
        tmp_path: Path, case: str, code: str, monkeypatch: pytest.MonkeyPatch) -> None:
    signer, _ = new_key(tmp_path)
    root = make_root(tmp_path)
    stranger = generate_signer()
    bundles = tmp_path / "bundles"
    bundles.mkdir()
    bundle = {
        "bad_signature": lambda: _forged(make_bundle(bundles, signer), stranger),
        "tampered": lambda: make_bundle(bundles, signer, tamper=True),
        "unknown_key": lambda: make_bundle(bundles, stranger),
        "downgrade": lambda: make_bundle(bundles, signer, version="0.9.0"),
        "other_role": lambda: make_bundle(bundles, signer, roles=("platform",)),
        "full_disk": lambda: make_bundle(bundles, signer),
    }[case]()
    if case == "full_disk":  # the OS edge: a disk with 1 KiB free
        monkeypatch.setattr(shutil, "disk_usage", lambda _p: shutil._ntuple_diskusage(10**9, 10**9 - 1024, 1024))
    recorder = Recorder()
    station = updater(root, KeySet([signer.public_key]), recorder)
    assert not station.prepare(offer_for(bundle), file_opener(bundle))
    (kind, payload), = recorder.reports
    assert (kind, payload["code"]) == ("update.failed", code)
    assert running_release_is_whole(root) == OLD
    assert not (root / "releases" / payload["version"]).exists()
    assert not station.prepare(offer_for(bundle), file_opener(bundle))  # not tried again
    assert len(recorder.reports) == 1


def test_a_rollback_rollout_may_install_an_older_version(rig, tmp_path: Path) -> None:
    root, signer, _, _ = rig
    older = make_bundle(tmp_path, signer, version="0.9.0")
    station = updater(root, KeySet([signer.public_key]), Recorder())
    assert station.prepare(offer_for(older, rollback=True), file_opener(older))


def _forged(path: Path, other) -> Path:
    """Keep the trusted key's kid, but put another key's signature in it."""
    from backend.shared.releases.bundle import read_bundle, write_bundle
    from backend.shared.tokens.b64url import b64url_encode

    bundle = read_bundle(path)
    signature = json.loads(bundle.signature or b"{}")
    signature["sig"] = b64url_encode(other.sign(bundle.manifest_bytes))
    return write_bundle(path, bundle.manifest, bundle.files, json.dumps(signature).encode())


STEPS = ["downloaded", "unpacked", "prepared", "backed_up", "switching", "switched", "trial"]


@pytest.mark.parametrize("step", STEPS)
def test_a_power_cut_after_any_step_leaves_a_whole_release_and_the_update_goes_on(
        rig, step: str) -> None:
    root, _signer, key_file, bundle = rig

    def child(cut_at: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, str(SUPPORT / "update_rig.py"), str(root.parent), str(key_file),
                               str(bundle), cut_at], capture_output=True, text=True, timeout=60,
                              env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})

    cut = child(step)
    assert cut.returncode == -9, cut.stderr  # killed mid-update, like a power cut
    guard.guard(root)  # what a start does first
    assert running_release_is_whole(root) in (OLD, NEW)
    # The station comes back and carries on until the update is settled one way or the other.
    for _ in range(4):
        done = child("never")
        assert done.returncode == 0, done.stderr
        guard.guard(root)
        assert running_release_is_whole(root) in (OLD, NEW)
        state = journal.read(root)
        if state and state["phase"] in journal.FINAL:
            break
    state = journal.read(root)
    assert state is not None and state["phase"] in journal.FINAL, state


def test_a_power_cut_during_the_rollback_still_ends_on_the_old_release(rig) -> None:
    root, signer, key_file, bundle = rig
    station = updater(root, KeySet([signer.public_key]), Recorder())
    assert station.prepare(offer_for(bundle), file_opener(bundle))
    station.switch()
    guard.guard(root)
    cut = subprocess.run([sys.executable, str(SUPPORT / "update_rig.py"), str(root.parent), str(key_file),
                          str(bundle), "rollback_state_written"], capture_output=True, text=True, timeout=60,
                         env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert cut.returncode == -9, cut.stderr
    assert journal.current_version(root) == NEW  # cut between the state and the switch
    guard.guard(root)
    assert running_release_is_whole(root) == OLD
    back = Recorder()
    assert updater(root, KeySet([signer.public_key]), back).on_start() == "rolled back"


def test_the_download_resumes_with_a_range_and_is_rate_limited(tmp_path: Path) -> None:
    payload = os.urandom(300_000)
    (tmp_path / "b.tar").write_bytes(payload)
    import hashlib
    digest = hashlib.sha256(payload).hexdigest()
    target = tmp_path / "got" / "b.tar"
    with RangeServer(tmp_path) as server, httpx.Client() as client:
        def open_from(offset: int):
            return client.stream("GET", f"{server.url}/b.tar", headers={"Range": f"bytes={offset}-"})
        server.cut_after = 100_000  # the line drops a third of the way in
        with pytest.raises(AppError) as caught:
            download(open_from, target, size=len(payload), sha256=digest)
        assert caught.value.code == "update.download_failed"
        kept = (tmp_path / "got" / "b.tar.part").stat().st_size
        assert 0 < kept < len(payload)
        download(open_from, target, size=len(payload), sha256=digest)
        assert server.ranges == [0, kept]
    assert target.read_bytes() == payload


def test_the_rate_limit_sleeps_to_keep_the_average() -> None:
    slept: list[float] = []
    now = [0.0]
    limit = RateLimit(1000, sleep=slept.append, clock=lambda: now[0])
    limit.took(500)
    limit.took(500)
    assert slept == [0.5, 1.0]  # 1000 bytes at 1000 B/s take a second


def test_the_local_window_wraps_midnight() -> None:
    at = lambda h, m: datetime(2026, 12, 4, h, m)  # noqa: E731
    assert in_window(at(2, 0), "02:00", "05:00") and in_window(at(4, 59), "02:00", "05:00")
    assert not in_window(at(5, 0), "02:00", "05:00") and not in_window(at(1, 59), "02:00", "05:00")
    assert in_window(at(23, 0), "22:00", "04:00") and in_window(at(3, 0), "22:00", "04:00")
    assert not in_window(at(12, 0), "22:00", "04:00")


def test_only_the_release_on_trial_may_commit_it(rig) -> None:
    root, signer, _, bundle = rig
    trusted = KeySet([signer.public_key])
    station = updater(root, trusted, Recorder())
    assert station.prepare(offer_for(bundle), file_opener(bundle))
    station.switch()
    journal.switch_current(root, OLD)  # a technician switched back by hand, no guard ran
    old = updater(root, trusted, Recorder())
    assert old.on_start() == "trial of another release"
    assert old.trial(lambda: (True, ""), deadline=1)
    assert journal.read(root)["phase"] == journal.TRIAL  # type: ignore[index]  # not by the wrong release
    assert guard.guard(root) == "current changed by hand"
    assert journal.read(root)["phase"] == journal.FAILED  # type: ignore[index]
