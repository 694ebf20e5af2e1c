"""A full disk (the database at SQLite's max_page_count) pauses the services that save records,
leaves nothing half-written, and they come back by themselves; low space prunes and reports."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, func, select

from backend.shared.errors import AppError
from backend.station.db.models import Certificate, CertificateTransition, OutboxEvent, SerialCounter
from backend.station.services.availability import SERVICES, ServiceState, evaluate
from backend.station.services.issuing import IssueRequest, issue_certificate
from backend.station.services.storage import StorageGuard
from backend.station.settings import load_settings

from .conftest import NOW, StationDb


def _issue(env: StationDb, n: int) -> Certificate:
    return issue_certificate(env.db, ctx=env.ctx, catalog=env.catalog, identity=env.identity("张三"),
                             request=IssueRequest(type_code="JZZM", purpose="school",
                                                  idempotency_key=f"key-{n:08}"), now=NOW)


def _counts(env: StationDb) -> tuple[int, int, int, int]:
    with env.db() as session:
        certificates = session.scalar(select(func.count()).select_from(Certificate)) or 0
        transitions = session.scalar(select(func.count()).select_from(CertificateTransition)) or 0
        events = session.scalar(select(func.count()).select_from(OutboxEvent)
                                .where(OutboxEvent.event_type == "certificate.issued")) or 0
        serial = session.scalar(select(func.max(SerialCounter.last_value))) or 0
    return certificates, transitions, events, serial


@pytest.fixture
def limited(station_db: StationDb) -> tuple[Engine, list[int]]:
    """The station's engine with a page limit applied at every checkout (a stand-in for the disk)."""
    engine = station_db.db.kw["bind"]
    limit = [0]

    @event.listens_for(engine, "checkout")
    def _limit(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        if limit[0]:
            dbapi_connection.execute(f"PRAGMA max_page_count = {limit[0]}")

    with engine.connect() as connection:
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar()
    limit[0] = int(pages) + 4  # room for a handful of certificates, then full
    return engine, limit


def test_a_full_disk_pauses_saving_services_with_nothing_half_written_and_they_come_back(
        station_db: StationDb, limited: tuple[Engine, list[int]], tmp_path: Path) -> None:
    engine, limit = limited
    guard = StorageGuard(load_settings(data_dir=tmp_path, disk_low_mb=0), engine, station_db.db)
    issued = 0
    with pytest.raises(AppError) as full:
        for n in range(500):
            _issue(station_db, n)
            issued += 1
    assert full.value.code == "station.storage_full" and full.value.status == 503
    assert "database or disk is full" in full.value.detail
    # every certificate that exists has its transition, its outbox event and its serial; no more
    assert _counts(station_db) == (issued, issued, issued, issued)

    assert guard.fault == "storage full"
    services = {s.code: evaluate(s, {}, storage_fault=guard.fault) for s in SERVICES}
    assert services["certificates"].state is ServiceState.UNAVAILABLE
    assert services["certificates"].note == "storage full" and services["requests"].state is ServiceState.UNAVAILABLE
    assert services["help"].state is ServiceState.AVAILABLE  # nothing to save
    assert (guard.check().state, guard.check().code) == ("UNAVAILABLE", "MEDIA_EMPTY")  # still full

    limit[0] += 2000  # space returns
    report = guard.check()
    assert (report.state, report.code, guard.fault) == ("READY", "OK", None)
    assert _issue(station_db, 9999).serial.endswith(f"{issued + 1:06}")


def test_low_space_reports_and_prunes_what_policy_allows(station_db: StationDb, tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path, disk_low_mb=10 ** 9)  # any real disk is "low"
    jobs = tmp_path / "sim" / "printer" / "jobs"
    jobs.mkdir(parents=True)
    old, new = jobs / "000001.png", jobs / "000002.png"
    for path in (old, new):
        path.write_bytes(b"png")
    os.utime(old, (0, 0))
    backups = tmp_path / "backups"
    backups.mkdir()
    for day in range(1, 13):  # twelve dailies in one fortnight: 7 days and the weeks' newest stay
        (backups / f"daily-202611{day:02}-030000.kbak").write_bytes(b"x")
    (backups / "not-ours.tar").write_bytes(b"x")

    guard = StorageGuard(settings, station_db.db.kw["bind"], station_db.db)
    report = guard.check()

    assert (report.state, report.code) == ("READY", "MEDIA_LOW") and "below" in report.detail
    assert not old.exists() and new.exists()
    kept = sorted(p.name for p in backups.iterdir())
    assert "not-ours.tar" in kept and len(kept) == 1 + 7 + 1  # + 2026-11-01, newest of its week
    assert "sim/printer/jobs/000001.png" in guard.pruned
