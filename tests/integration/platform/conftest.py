"""One platform process per database (PostgreSQL; SQLite too on demand), shared by every test here: each
test makes its own stations (own ids and codes), so sharing weakens none of them."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from support.platform_stack import Platform, running_platform
from support.postgres import fresh_database, server_url

# PostgreSQL, the district's database, always; SQLite (the embedded demo) as well with
# KIOSK_TEST_BOTH_DATABASES=1. The suite's SQLite platform runs end to end in the browser, UI and
# `kiosk up` tests, and every platform unit test runs on both, so the default run keeps its
# ten minutes without leaving SQLite untested.
DATABASES = ([pytest.param("postgres", marks=pytest.mark.postgres)]
             + (["sqlite"] if os.environ.get("KIOSK_TEST_BOTH_DATABASES") == "1" else []))


@pytest.fixture(scope="package", params=DATABASES)
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
