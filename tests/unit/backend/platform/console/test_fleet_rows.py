"""The fleet as the console ranks it: offline first, then stations not serving, then those that
need attention, then the healthy, then those not enrolled yet; the state and area filters; paper
from the printer's own code; today's certificates counted on the district's clock."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from backend.platform.clock import FrozenClock
from backend.platform.console.fleet_view import FleetRow, Part, fleet_rows
from backend.platform.db.certificate_models import CertificateRecord
from backend.platform.db.session import write_transaction
from backend.platform.runtime import PlatformRuntime
from backend.platform.services import heartbeat, stations
from backend.shared.protocol import Heartbeat

from ..conftest import COMMUNITY, NOW, enrolled

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _beat(runtime: PlatformRuntime, station_id: str, *, printer_code: str = "OK", **fields: Any) -> None:
    printer = {"id": "printer", "kind": "receipt_printer", "code": printer_code,
               "state": "READY" if printer_code in ("OK", "MEDIA_LOW") else "UNAVAILABLE"}
    body = {"station_id": station_id, "sent_at": runtime.clock.now(), "version": "0.1.0", "uptime_seconds": 5,
            "service_state": "AVAILABLE", "components": [printer]} | fields
    with write_transaction(runtime.db) as session:
        heartbeat.record_heartbeat(session, station_id=station_id,
                                   heartbeat=Heartbeat.model_validate(body), now=runtime.clock.now(),
                                   offline_after=90, depth_limit=500, age_limit=900)


def _rows(runtime: PlatformRuntime, **filters: str) -> list[FleetRow]:
    with runtime.db() as session:
        return fleet_rows(session, communities=[COMMUNITY], now=runtime.clock.now(), offline_after=90,
                          timezone=SHANGHAI, **filters)


@pytest.fixture
def fleet(runtime: PlatformRuntime) -> PlatformRuntime:
    """Five stations: healthy, out of paper, silent, suspended, and one never enrolled."""
    assert isinstance(runtime.clock, FrozenClock)
    for number, station_id in enumerate(("ok", "paper", "silent", "paused"), start=1):
        enrolled(runtime, station_id, f"S{number:02d}")
    with write_transaction(runtime.db) as session:
        stations.create_station(session, station_id="fresh", name="fresh", community_code=COMMUNITY,
                                station_code="S09", now=NOW)
    _beat(runtime, "silent")
    runtime.clock.advance(seconds=120)  # "silent" stops here
    _beat(runtime, "ok")
    _beat(runtime, "paper", printer_code="MEDIA_EMPTY", service_state="PARTIAL")
    _beat(runtime, "paused", service_state="SUSPENDED", service_reason="盘点")
    return runtime


def test_the_worst_come_first(fleet: PlatformRuntime) -> None:
    rows = _rows(fleet)
    assert [(r.id, r.health) for r in rows] == [("silent", "offline"), ("paused", "down"),
                                                ("paper", "attention"), ("ok", "ok"), ("fresh", "new")]
    assert {r.id: r.paper for r in rows} == {"silent": "ok", "paused": "ok", "paper": "out", "ok": "ok",
                                             "fresh": "unknown"}


@pytest.mark.parametrize(("state", "ids"), [
    ("problem", ["silent", "paused", "paper"]), ("offline", ["silent"]), ("suspended", ["paused"]),
    ("online", ["paused", "paper", "ok"]), ("all", ["silent", "paused", "paper", "ok", "fresh"]),
])
def test_the_state_filter(fleet: PlatformRuntime, state: str, ids: list[str]) -> None:
    assert [r.id for r in _rows(fleet, state=state)] == ids


@pytest.mark.parametrize(("area", "count"), [("460107002", 5), (COMMUNITY, 5), ("460107002001-01", 0),
                                             ("999999", 0)])
def test_the_area_filter_keeps_the_stations_under_it(fleet: PlatformRuntime, area: str, count: int) -> None:
    assert len(_rows(fleet, area=area)) == count


@pytest.mark.parametrize(("code", "level", "paper"), [("MEDIA_LOW", "ok", "low"), ("COVER_OPEN", "empty", "out"),
                                                      ("COVER_OPEN", "unknown", "unknown"), ("OK", "low", "ok")])
def test_paper_from_the_printer_code_then_the_heartbeat(code: str, level: str, paper: str) -> None:
    row = FleetRow({"paper_level": level}, {}, {"printer": Part("READY", code)})
    assert row.paper == paper


def test_todays_certificates_count_from_local_midnight(fleet: PlatformRuntime) -> None:
    local_midnight = datetime(2026, 11, 26, tzinfo=SHANGHAI)
    with write_transaction(fleet.db) as session:
        for n, at in enumerate((local_midnight - timedelta(minutes=1), local_midnight + timedelta(minutes=1),
                                fleet.clock.now())):
            session.add(CertificateRecord(
                id=f"cert-{n}", station_id="ok", community_code=COMMUNITY, serial=f"2026-S01-00000{n}",
                identifier=f"id-{n}", type_code="JZZM", holder_id_masked="4601*************2", purpose="school",
                state="issued", issued_at=at, expires_at=at + timedelta(days=90), updated_at=at))
    counts = {r.id: r.certificates_today for r in _rows(fleet)}
    assert counts["ok"] == 2 and counts["paper"] == 0
