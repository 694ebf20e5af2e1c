"""Enrol a whole fleet of lightweight stations straight into the platform's database.

Enrolling 10,000 stations over HTTP (create, code, enrol: three requests each, and the trust list
republished at every enrolment) would take longer than the benchmark itself. These rows are the
ones enrolment writes — the station, its state, its request and certificate keys, status enrolled
— spread over as many communities as the station codes need (at most 1,000 a community), the
extra ones made under the demo district's first street and named as benchmark communities. The
trust list is published once at the end.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sync_bench_support import BenchStation

from backend.platform.db.area_models import OrgUnit, Station
from backend.platform.db.fleet_models import StationState
from backend.platform.db.session import make_engine, make_session_factory, write_transaction
from backend.platform.services import stations as station_service
from backend.platform.settings import PlatformSettings
from backend.shared.tokens import export_jwks, generate_signer
from support.platform_stack import Platform

PER_COMMUNITY = 1000


def enrol_fleet(platform: Platform, count: int, prefix: str, *, start: int = 0) -> list[BenchStation]:
    """Enrol stations ``prefix-start`` … ``prefix-(start+count-1)``; return them."""
    url = PlatformSettings(data_dir=platform.data_dir,
                           database_url=platform.database_url or "").effective_database_url
    engine = make_engine(url)
    now = datetime.now(UTC)
    fleet = []
    try:
        factory = make_session_factory(engine)
        with write_transaction(factory) as session:
            communities = _communities(session, (start + count + PER_COMMUNITY - 1) // PER_COMMUNITY)
            for n in range(start, start + count):
                station = BenchStation(f"{prefix}-{n:05d}", f"S{n % PER_COMMUNITY:03d}", generate_signer())
                session.add(Station(
                    id=station.station_id, name=station.station_id, community_code=communities[n // PER_COMMUNITY],
                    station_code=station.station_code, status="enrolled", last_applied_seq=0, events_applied=0,
                    duplicates=0, gaps=0, created_at=now, enrolled_at=now,
                    request_key=export_jwks([station.signer.public_key])["keys"][0],
                    certificate_keys=export_jwks([generate_signer().public_key])))
                session.add(StationState(station_id=station.station_id))
                fleet.append(station)
            session.flush()
            station_service.publish_trust(session, now=now)
    finally:
        engine.dispose()
    return fleet


def _communities(session, needed: int) -> list[str]:  # type: ignore[no-untyped-def]
    """The codes of ``needed`` communities: benchmark communities under the first street."""
    street = session.scalars(select(OrgUnit).where(OrgUnit.level == "street").order_by(OrgUnit.code)).first()
    assert street is not None, "the platform has no street in its organisation tree"
    codes = []
    for index in range(needed):
        code = f"{street.code}B{index:02d}"
        if session.get(OrgUnit, code) is None:
            session.add(OrgUnit(code=code, level="community", parent_code=street.code,
                                name_zh=f"基准测试社区{index}", name_en=f"Benchmark community {index}",
                                path=f"{street.path}{code}/", details={}))
        codes.append(code)
    session.flush()
    return codes
