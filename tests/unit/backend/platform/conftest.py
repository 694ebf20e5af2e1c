"""A platform runtime on a frozen clock, on SQLite and on PostgreSQL (one fresh database per
module, emptied between tests) — no server; services are called directly."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from backend.platform.clock import FrozenClock
from backend.platform.db.models import Base
from backend.platform.db.session import make_engine, write_transaction
from backend.platform.live import InProcessLiveBus
from backend.platform.runtime import MIGRATIONS, PlatformRuntime, build_runtime
from backend.platform.services import stations
from backend.platform.settings import PlatformSettings, database_url
from backend.shared.migrations import upgrade
from backend.shared.protocol import EnrolRequest
from backend.shared.tokens import export_jwks, generate_signer
from support.postgres import fresh_database, server_url

NOW = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
COMMUNITY = "110105001001"


@pytest.fixture(scope="module")
def pg_database() -> Iterator[str]:
    with fresh_database(server_url()) as url:
        engine = make_engine(database_url(url))
        upgrade(engine, MIGRATIONS)
        engine.dispose()
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def runtime(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[PlatformRuntime]:
    options: dict[str, Any] = {"data_dir": tmp_path / "platform"}
    if request.param == "postgres":
        options["database_url"] = request.getfixturevalue("pg_database")
    settings = PlatformSettings(**options)
    if request.param == "postgres":
        _empty(settings.effective_database_url)
    built = build_runtime(settings, clock=FrozenClock(NOW), live=InProcessLiveBus())
    try:
        yield built
    finally:
        built.engine.dispose()


def _empty(url: str) -> None:
    from sqlalchemy import create_engine

    engine = create_engine(database_url(url))
    with engine.begin() as connection:
        names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        connection.execute(text("INSERT INTO change_counter (id, value) VALUES (1, 0)"))
    engine.dispose()


def enrolled(runtime: PlatformRuntime, station_id: str = "st-01", station_code: str = "S01",
             outbox_start: int = 1) -> None:
    """Create and enrol a station (fresh keys) on the runtime's database."""
    now = runtime.clock.now()
    with write_transaction(runtime.db) as session:
        stations.create_station(session, station_id=station_id, name=station_id, community_code=COMMUNITY,
                                station_code=station_code, now=now)
        code, _ = stations.new_enrolment_code(session, station_id=station_id, now=now, minutes=60,
                                              created_by="test")
    request = EnrolRequest(code=code, request_key=export_jwks([generate_signer().public_key])["keys"][0],
                           certificate_keys=export_jwks([generate_signer().public_key]),
                           outbox_start=outbox_start)
    context = stations.EnrolmentContext("http://platform", "110105", runtime.id_hash_key, 30)
    with write_transaction(runtime.db) as session:
        stations.enrol(session, request=request, now=now, context=context)
