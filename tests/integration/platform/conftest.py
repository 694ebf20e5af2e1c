"""One platform process per database (SQLite, then PostgreSQL), shared by every test here: each
test makes its own stations (own ids and codes), so sharing weakens none of them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from support.platform_stack import Platform, running_platform
from support.postgres import fresh_database, server_url


@pytest.fixture(scope="package", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """None for SQLite in the data folder, else a fresh PostgreSQL database for the run."""
    if request.param == "sqlite":
        yield None
        return
    with fresh_database(server_url()) as url:
        yield url


@pytest.fixture(scope="package")
def platform(database_url: str | None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    with running_platform(tmp_path_factory.mktemp("platform"), database_url) as running:
        yield running


@pytest.fixture
def station_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "station"
    folder.mkdir()
    return folder
