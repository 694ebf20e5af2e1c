"""A backup restored into a new folder holds every certificate, request and outbox event; a
restore refuses a running station and a file that is not this station's whole backup."""

from __future__ import annotations

import json
import os
import stat
import tarfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from backend.shared.errors import AppError
from backend.station.backup.archive import create_backup
from backend.station.backup.restore import restore_backup
from backend.station.db.models import Certificate, OutboxEvent
from backend.station.db.session import make_engine, make_session_factory
from backend.station.db.ticket_models import LocalTicket
from backend.station.lock import StationLock
from backend.station.services.issuing import IssueRequest, issue_certificate
from backend.station.services.tickets import submit_ticket

from ..conftest import NOW, StationDb
from ..tickets.test_filing import DESK, draft


def _fill(env: StationDb, certificates: int = 5, tickets: int = 3) -> None:
    for n in range(certificates):
        issue_certificate(env.db, ctx=env.ctx, catalog=env.catalog, identity=env.identity("张三"),
                          request=IssueRequest(type_code="JZZM", purpose="school",
                                               idempotency_key=f"key-{n:08}"), now=NOW)
    for n in range(tickets):
        submit_ticket(env.db, desk=DESK, identity=env.identity("张三"),
                      draft=draft(idempotency_key=f"tkt-{n:08}"), now=NOW)


def _contents(data_dir: Path) -> tuple[list[str], list[str], list[int]]:
    engine = make_engine(f"sqlite:///{data_dir / 'station.db'}")
    try:
        with make_session_factory(engine)() as session:
            return (sorted(session.scalars(select(Certificate.serial))),
                    sorted(session.scalars(select(LocalTicket.ticket_no))),
                    list(session.scalars(select(OutboxEvent.seq).order_by(OutboxEvent.seq))))
    finally:
        engine.dispose()


@pytest.fixture
def station_dir(station_db: StationDb, tmp_path: Path) -> Path:
    _fill(station_db)
    (tmp_path / "enrolment.json").write_text(json.dumps({"station_id": "xingfu-01"}))
    return tmp_path


def _backup(station_dir: Path, out: Path, **options: object) -> Path:
    return create_backup(data_dir=station_dir, out=out, station_id="xingfu-01", now=NOW,
                         **options).path  # type: ignore[arg-type]


def test_a_restore_into_a_new_folder_finds_every_certificate_request_and_outbox_event(
        station_dir: Path, tmp_path: Path) -> None:
    before = _contents(station_dir)
    assert (len(before[0]), len(before[1])) == (5, 3) and len(before[2]) == 8
    archive = _backup(station_dir, tmp_path / "out" / "b.kbak")
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600

    target = tmp_path / "new" / "data"
    result = restore_backup(archive, data_dir=target, now=NOW)

    assert _contents(target) == before
    assert result.manifest.station_id == "xingfu-01" and result.previous is None
    assert json.loads((target / "enrolment.json").read_text())["station_id"] == "xingfu-01"
    assert stat.S_IMODE(target.stat().st_mode) == 0o700
    assert stat.S_IMODE((target / "station.db").stat().st_mode) == 0o600
    assert result.keys == "none" and not (target / "keys" / "data.key").exists()  # no keys without asking


def test_the_keys_travel_only_sealed_and_open_only_with_the_passphrase(station_dir: Path, tmp_path: Path) -> None:
    archive = _backup(station_dir, tmp_path / "k.kbak", include_keys=True, passphrase="correct horse")
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        assert "keys.sealed" in names and not any(n.endswith((".pem", ".key")) for n in names)
        sealed = tar.extractfile("keys.sealed").read()  # type: ignore[union-attr]
    assert (station_dir / "keys" / "data.key").read_bytes() not in sealed

    with pytest.raises(AppError) as wrong:
        restore_backup(archive, data_dir=tmp_path / "a", now=NOW, passphrase="wrong")
    assert wrong.value.code == "backup.passphrase_wrong" and not (tmp_path / "a").exists()
    with pytest.raises(AppError) as missing:
        restore_backup(archive, data_dir=tmp_path / "a", now=NOW)
    assert missing.value.code == "backup.passphrase_required"

    result = restore_backup(archive, data_dir=tmp_path / "a", now=NOW, passphrase="correct horse")
    assert result.keys == "restored"
    key = tmp_path / "a" / "keys" / "data.key"
    assert key.read_bytes() == (station_dir / "keys" / "data.key").read_bytes()
    assert stat.S_IMODE(key.stat().st_mode) == 0o600


def test_keys_without_a_passphrase_are_refused(station_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(AppError) as refused:
        _backup(station_dir, tmp_path / "k.kbak", include_keys=True, passphrase="")
    assert refused.value.code == "backup.passphrase_required" and not (tmp_path / "k.kbak").exists()


def test_restoring_over_a_folder_keeps_its_keys_logs_and_backups_and_the_old_folder(
        station_dir: Path, tmp_path: Path) -> None:
    archive = _backup(station_dir, tmp_path / "b.kbak")
    (station_dir / "logs").mkdir()
    (station_dir / "logs" / "station.log").write_text("{}\n")
    key = (station_dir / "keys" / "data.key").read_bytes()
    result = restore_backup(archive, data_dir=station_dir, now=NOW)
    assert result.keys == "kept" and (station_dir / "keys" / "data.key").read_bytes() == key
    assert (station_dir / "logs" / "station.log").exists()
    assert result.previous is not None and (result.previous / "station.db").exists()


def test_a_running_station_is_refused(station_dir: Path, tmp_path: Path) -> None:
    archive = _backup(station_dir, tmp_path / "b.kbak")
    lock = StationLock(station_dir)
    assert lock.acquire()
    try:
        with pytest.raises(AppError) as refused:
            restore_backup(archive, data_dir=station_dir, now=NOW)
        assert refused.value.code == "backup.station_running" and str(os.getpid()) in refused.value.detail
    finally:
        lock.release()


def test_another_stations_backup_is_refused(station_dir: Path, tmp_path: Path) -> None:
    archive = _backup(station_dir, tmp_path / "b.kbak")
    other = tmp_path / "other"
    other.mkdir()
    (other / "enrolment.json").write_text(json.dumps({"station_id": "guilin-02"}))
    with pytest.raises(AppError) as refused:
        restore_backup(archive, data_dir=other, now=NOW)
    assert refused.value.code == "backup.wrong_station"
    assert sorted(p.name for p in other.iterdir()) == ["enrolment.json"]  # untouched


@pytest.mark.parametrize(("damage", "code"), [
    ("not_tar", "backup.unreadable"),
    ("other_tar", "backup.foreign"),
    ("wrong_format", "backup.foreign"),
    ("flipped_byte", "backup.corrupt"),
    ("truncated", "backup.unreadable"),
])
def test_an_unreadable_or_foreign_file_is_refused(station_dir: Path, tmp_path: Path, damage: str,
                                                   code: str) -> None:
    archive = _backup(station_dir, tmp_path / "b.kbak")
    bad = tmp_path / "bad.kbak"
    data = archive.read_bytes()
    if damage == "not_tar":
        bad.write_bytes(b"hello, this is not a backup\n" * 40)
    elif damage == "other_tar":
        with tarfile.open(bad, "w") as tar:
            tar.add(station_dir / "enrolment.json", arcname="enrolment.json")
    elif damage == "wrong_format":
        bad.write_bytes(data.replace(b'"kiosk-station-backup"', b'"kiosk-station-backuX"', 1))
    elif damage == "flipped_byte":
        middle = len(data) // 2
        bad.write_bytes(data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1:])
    else:
        bad.write_bytes(data[: len(data) // 2])
    target = tmp_path / "target"
    with pytest.raises(AppError) as refused:
        restore_backup(bad, data_dir=target, now=NOW)
    assert refused.value.code == code
    assert not target.exists() and not list(tmp_path.glob(".target.restore-*"))  # nothing half-written


def test_the_manifest_names_the_station_versions_and_checksums(station_dir: Path, tmp_path: Path) -> None:
    result = create_backup(data_dir=station_dir, out=tmp_path / "b.kbak", station_id="xingfu-01", now=NOW,
                           app_version="0.1.0")
    with tarfile.open(result.path) as tar:
        assert tar.getnames()[0] == "manifest.json"
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
    assert manifest["format"] == "kiosk-station-backup" and manifest["station_id"] == "xingfu-01"
    assert manifest["app_version"] == "0.1.0" and manifest["schema_revision"]
    assert set(manifest["files"]) >= {"station.db", "files/enrolment.json"}
    with make_engine(f"sqlite:///{station_dir / 'station.db'}").connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Certificate)) == 5
