"""A platform runtime on a frozen clock, on SQLite and on PostgreSQL (each test a copy of one
migrated, bootstrapped platform) — no server; services are called directly."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from backend.platform.clock import FrozenClock
from backend.platform.db.session import write_transaction
from backend.platform.live import InProcessLiveBus
from backend.platform.runtime import PlatformRuntime, build_runtime
from backend.platform.services import stations
from backend.platform.settings import PlatformSettings
from backend.shared.protocol import EnrolRequest
from backend.shared.tickets.contact import public_bytes
from backend.shared.tokens import ExportableSigner, export_jwks, generate_signer
from support.postgres import fresh_database, server_url

NOW = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
COMMUNITY = "460107002001"


@pytest.fixture(scope="session")
def pg_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A PostgreSQL database and data folder migrated and bootstrapped once (keys and all); each
    test gets a copy of both: CREATE DATABASE … TEMPLATE is far cheaper than migrating again."""
    folder = tmp_path_factory.mktemp("platform-pg-template") / "platform"
    with fresh_database(server_url(), prefix="kiosk_template") as url:
        build_runtime(PlatformSettings(data_dir=folder, database_url=url), clock=FrozenClock(NOW),
                      live=InProcessLiveBus()).engine.dispose()
        yield url, folder


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A platform data folder migrated and bootstrapped once; each test gets a copy of it."""
    folder = tmp_path_factory.mktemp("platform-template") / "platform"
    build_runtime(PlatformSettings(data_dir=folder), clock=FrozenClock(NOW),
                  live=InProcessLiveBus()).engine.dispose()
    return folder


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def runtime(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[PlatformRuntime]:
    # Every test starts from a copy of one migrated, bootstrapped platform: the same start as a
    # fresh one, without migrating and bootstrapping again each time.
    folder = tmp_path / "platform"
    if request.param == "sqlite":
        shutil.copytree(request.getfixturevalue("sqlite_template"), folder)
        yield from _runtime(PlatformSettings(data_dir=folder, migrate=False))
        return
    template_url, template_folder = request.getfixturevalue("pg_template")
    shutil.copytree(template_folder, folder)
    with fresh_database(server_url(), template=template_url) as url:
        yield from _runtime(PlatformSettings(data_dir=folder, database_url=url, migrate=False))


def _runtime(settings: PlatformSettings) -> Iterator[PlatformRuntime]:
    built = build_runtime(settings, clock=FrozenClock(NOW), live=InProcessLiveBus())
    try:
        yield built
    finally:
        built.engine.dispose()


def enrolled(runtime: PlatformRuntime, station_id: str = "st-01", station_code: str = "S01",
             outbox_start: int = 1, signer: ExportableSigner | None = None) -> None:
    """Create and enrol a station (fresh keys, or ``signer``'s request key) on the runtime's database."""
    now = runtime.clock.now()
    with write_transaction(runtime.db) as session:
        stations.create_station(session, station_id=station_id, name=station_id, community_code=COMMUNITY,
                                station_code=station_code, now=now)
    reenrol(runtime, station_id, outbox_start=outbox_start, signer=signer)


def reenrol(runtime: PlatformRuntime, station_id: str = "st-01", outbox_start: int = 1,
            signer: ExportableSigner | None = None) -> None:
    """Enrol an existing station with a new one-time code and fresh (or ``signer``'s) keys."""
    now = runtime.clock.now()
    with write_transaction(runtime.db) as session:
        code, _ = stations.new_enrolment_code(session, station_id=station_id, now=now, minutes=60,
                                              created_by="test")
    signer = signer or generate_signer()
    request = EnrolRequest(code=code, request_key=export_jwks([signer.public_key])["keys"][0],
                           certificate_keys=export_jwks([generate_signer().public_key]),
                           outbox_start=outbox_start)
    context = stations.EnrolmentContext("http://platform", "460107", runtime.id_hash_key, 30,
                                          hash_master=runtime.hash_master,
                                          contact_key=public_bytes(runtime.contact.public_key))
    with write_transaction(runtime.db) as session:
        stations.enrol(session, request=request, now=now, context=context)
