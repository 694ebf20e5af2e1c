"""What an enrolled station holds opens no resident's contact, and hashes only its own
community's residents the way the platform's register does."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from backend.platform.db.area_models import OrgUnit
from backend.platform.db.register_models import Resident
from backend.shared.tickets.contact import ContactOpener, SealError, load_or_create_contact_key
from backend.station.services.keys import StationKeys
from backend.station.sync.enrolment import enroll
from support.platform_stack import COMMUNITY, Platform

OTHER = "460107002002"


def _database(platform: Platform) -> str:
    return platform.database_url or f"sqlite:///{platform.data_dir / 'platform.db'}"


def _station_in(platform: Platform, folder: Path, station_id: str, community: str,
                station_code: str) -> StationKeys:
    with platform.staff() as staff:
        created = staff.post("/api/staff/stations", json={
            "station_id": station_id, "name": station_id, "community_code": community, "station_code": station_code})
        assert created.status_code == 201, created.text
        code = staff.post(f"/api/staff/stations/{station_id}/enrolment-codes").json()["code"]
    enroll(data_dir=folder, url=platform.url, code=code)
    return StationKeys(folder / "keys")


def _openers_from(folder: Path) -> list[ContactOpener]:
    """Every way a file in the folder could be a key: as the old shared secret, as an X25519 key."""
    openers = []
    for path in folder.rglob("*"):
        data = path.read_bytes() if path.is_file() else b""
        if len(data) >= 32:
            openers.append(ContactOpener(X25519PrivateKey.generate(), legacy_secret=data))
        if len(data) == 32:
            openers.append(ContactOpener(X25519PrivateKey.from_private_bytes(data)))
    return openers


def test_nothing_a_station_holds_opens_a_contact_it_sealed(platform: Platform, tmp_path: Path) -> None:
    keys = _station_in(platform, tmp_path / "station", "keys-st-1", COMMUNITY, "S71")
    sealed = keys.contact_sealer().seal({"phone": "13800138000"})
    openers = _openers_from(tmp_path / "station")
    assert len(openers) >= 3  # idhash.key, idhash-community.key, contact.pub, data.key …
    for opener in openers:
        with pytest.raises(SealError):
            opener.open(sealed)
    platform_key = load_or_create_contact_key(platform.data_dir / "keys" / "contact.key")
    assert ContactOpener(platform_key).open(sealed) == {"phone": "13800138000"}


def test_a_station_matches_its_own_communitys_register_and_no_other(platform: Platform, tmp_path: Path) -> None:
    engine = create_engine(_database(platform))
    with Session(engine) as session, session.begin():
        if session.get(OrgUnit, OTHER) is None:
            street = session.get(OrgUnit, "460107002")
            assert street is not None
            session.add(OrgUnit(code=OTHER, level="community", parent_code=street.code, name_zh="另一社区",
                                name_en="Another Community", path=f"{street.path}{OTHER}/", details={}))
    with Session(engine) as session:
        stored = set(session.scalars(select(Resident.id_hash).where(Resident.community_code == COMMUNITY)))
    engine.dispose()
    with open("assets/register/demo_register.csv", encoding="utf-8") as handle:
        numbers = [row["id_number"] for row in csv.DictReader(handle)]
    own = _station_in(platform, tmp_path / "own", "keys-st-own", COMMUNITY, "S72").protector
    other = _station_in(platform, tmp_path / "other", "keys-st-other", OTHER, "S73").protector
    assert {own.lookup_hash(n) for n in numbers} == stored  # the register's residents, end to end
    assert not {other.lookup_hash(n) for n in numbers} & stored
