"""A station database with the demo register, keys and catalog — no devices, no server."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

import assets
from backend.shared.catalog import Catalog, load_catalog
from backend.shared.migrations import upgrade
from backend.shared.privacy import mask_id_number
from backend.shared.register_file import read_register_path
from backend.station.db.session import make_engine, make_session_factory
from backend.station.runtime import MIGRATIONS, Community
from backend.station.services.issuing import IssuerContext
from backend.station.services.keys import StationKeys
from backend.station.services.register import replace_register
from backend.station.services.sessions import Identity

NOW = datetime(2026, 11, 26, 6, 0, tzinfo=UTC)


@dataclass
class StationDb:
    db: sessionmaker[Session]
    keys: StationKeys
    catalog: Catalog
    ctx: IssuerContext
    rows: dict[str, str]  # name -> full ID number (test data only)

    def identity(self, name: str) -> Identity:
        number = self.rows[name]
        return Identity(id_hash=self.keys.protector.lookup_hash(number),
                        id_masked=mask_id_number(number), name=name)


@pytest.fixture
def station_db(tmp_path: Path) -> StationDb:
    engine = make_engine(f"sqlite:///{tmp_path / 'station.db'}")
    upgrade(engine, MIGRATIONS)
    keys = StationKeys(tmp_path / "keys")
    factory = make_session_factory(engine, protector=keys.protector)
    parsed = read_register_path(assets.path("register", "demo_register.csv"), date(2026, 11, 26))
    replace_register(factory, keys.protector, parsed, now=NOW)
    community = Community.load(assets.path("register", "community.yaml"))
    ctx = IssuerContext(station_id="demo-station-1", station_code="S01", community_code=community.code,
                        issuer_code=community.issuer_code, address_prefix=community.address_prefix_zh,
                        signer=keys.signer)
    return StationDb(factory, keys, load_catalog(assets.path("catalog", "certificates.yaml")), ctx,
                     {r.name: r.id_number for r in parsed.rows})
