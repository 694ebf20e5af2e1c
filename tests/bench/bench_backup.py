"""Benchmark a station backup and restore with 100,000 certificates.

    .venv/bin/python tests/bench/bench_backup.py [--certificates 100000] [--include-keys]

Builds a station database the way the station does (migrations, the demo register, its keys),
issues one real certificate through the issuing service, then adds ``--certificates`` more rows
shaped like it (each with its transition and its outbox event, the token the same size) in one
transaction. Then it times ``create_backup`` (online copy, integrity check, hashes, tar) and
``restore_backup`` into a new folder (unpack, hashes, integrity check, rename), and checks that the
restored folder holds every certificate and outbox event. Times are wall-clock on this machine.
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import assets
from backend.shared.catalog import load_catalog
from backend.shared.migrations import upgrade
from backend.shared.register_file import read_register_path
from backend.station.backup.archive import create_backup
from backend.station.backup.restore import restore_backup
from backend.station.db.session import make_engine, make_session_factory
from backend.station.runtime import MIGRATIONS, Community
from backend.station.services.issuing import IssuerContext, IssueRequest, issue_certificate
from backend.station.services.keys import StationKeys
from backend.station.services.register import replace_register
from backend.station.services.sessions import Identity

NOW = datetime(2026, 11, 26, 6, 0, tzinfo=UTC)


def build_station(data_dir: Path, certificates: int) -> None:
    engine = make_engine(f"sqlite:///{data_dir / 'station.db'}")
    upgrade(engine, MIGRATIONS)
    factory = make_session_factory(engine)
    keys = StationKeys(data_dir / "keys")
    parsed = read_register_path(assets.path("register", "demo_register.csv"), date(2026, 11, 26))
    replace_register(factory, keys.protector, parsed, now=NOW)
    community = Community.load(assets.path("register", "community.yaml"))
    ctx = IssuerContext(station_id="bench-01", station_code="S01", community_code=community.code,
                        issuer_code=community.issuer_code, address_prefix=community.address_prefix_zh,
                        signer=keys.signer)
    row = parsed.rows[0]
    identity = Identity(id_hash=keys.protector.lookup_hash(row.id_number),
                        id_masked=row.id_number[:4] + "*" * 10 + row.id_number[-4:], name=row.name)
    issue_certificate(factory, ctx=ctx, catalog=load_catalog(assets.path("catalog", "certificates.yaml")),
                      identity=identity, request=IssueRequest(type_code="JZZM", purpose="school",
                                                              idempotency_key="bench-00000000"), now=NOW)
    engine.dispose()
    _copy_certificate(data_dir / "station.db", certificates)


def _copy_certificate(database: Path, count: int) -> None:
    connection = sqlite3.connect(database)
    connection.row_factory = sqlite3.Row
    template = dict(connection.execute("SELECT * FROM certificates").fetchone())
    event = dict(connection.execute("SELECT * FROM outbox WHERE event_type = 'certificate.issued'").fetchone())
    columns = list(template)
    certificates, transitions, events = [], [], []
    for n in range(1, count + 1):
        cid = str(uuid.UUID(int=n))
        certificates.append({**template, "id": cid, "idempotency_key": f"bench-{n:08}",
                             "serial": f"2026-S01-{n + 1:06}", "identifier": f"{template['identifier']}-{n}"})
        transitions.append((cid, None, "issued", "station:bench", "", template["issued_at"]))
        events.append((event["event_type"], cid, event["payload"], event["created_at"]))
    with connection:
        connection.executemany(f"INSERT INTO certificates ({', '.join(columns)}) VALUES "
                               f"({', '.join(':' + c for c in columns)})", certificates)
        connection.executemany("INSERT INTO certificate_transitions (certificate_id, from_state, to_state, "
                               "actor, reason, at) VALUES (?, ?, ?, ?, ?, ?)", transitions)
        connection.executemany("INSERT INTO outbox (event_type, aggregate_id, payload, created_at) "
                               "VALUES (?, ?, ?, ?)", events)
    connection.close()


def count(database: Path, table: str) -> int:
    with sqlite3.connect(database) as connection:
        return int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--certificates", type=int, default=100_000)
    parser.add_argument("--include-keys", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder) / "station"
        data_dir.mkdir(mode=0o700)
        started = time.perf_counter()
        build_station(data_dir, args.certificates)
        built = time.perf_counter() - started
        size = (data_dir / "station.db").stat().st_size
        wal = data_dir / "station.db-wal"
        size += wal.stat().st_size if wal.exists() else 0

        started = time.perf_counter()
        result = create_backup(data_dir=data_dir, out=Path(folder) / "station.kbak", station_id="bench-01",
                               now=NOW, include_keys=args.include_keys, passphrase="bench passphrase")
        backup_s = time.perf_counter() - started

        started = time.perf_counter()
        restore_backup(result.path, data_dir=Path(folder) / "restored", now=NOW,
                       passphrase="bench passphrase" if args.include_keys else None)
        restore_s = time.perf_counter() - started

        restored = Path(folder) / "restored" / "station.db"
        certificates, events = count(restored, "certificates"), count(restored, "outbox")
        assert certificates == args.certificates + 1 and events >= args.certificates + 1
        print(f"station with {certificates:,} certificates, {events:,} outbox events "
              f"(built in {built:.1f} s)")
        print(f"  database       {size / 1e6:8.1f} MB")
        print(f"  backup file    {result.path.stat().st_size / 1e6:8.1f} MB (tar, uncompressed)")
        print(f"  backup         {backup_s:8.2f} s  (online copy + integrity check + SHA-256 + tar)")
        print(f"  restore        {restore_s:8.2f} s  (unpack + SHA-256 + integrity check + rename)")


if __name__ == "__main__":
    main()
