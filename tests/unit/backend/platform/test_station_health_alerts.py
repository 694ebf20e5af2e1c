"""A station's own components in its heartbeat — storage and clock — open and resolve alerts."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from backend.platform.db.fleet_models import Alert
from backend.platform.db.session import write_transaction
from backend.platform.runtime import PlatformRuntime
from backend.platform.services import heartbeat
from backend.shared.protocol import Heartbeat

from .conftest import enrolled


def _beat(runtime: PlatformRuntime, *components: dict[str, Any]) -> None:
    printer = {"id": "printer", "kind": "receipt_printer", "state": "READY", "code": "OK"}
    body = {"station_id": "st-01", "sent_at": runtime.clock.now(), "version": "0.1.0", "uptime_seconds": 5,
            "service_state": "AVAILABLE", "components": [printer, *components]}
    with write_transaction(runtime.db) as session:
        heartbeat.record_heartbeat(session, station_id="st-01", heartbeat=Heartbeat.model_validate(body),
                                   now=runtime.clock.now(), offline_after=90, depth_limit=500, age_limit=900)


def _open(runtime: PlatformRuntime) -> dict[str, tuple[str, str]]:
    with runtime.db() as session:
        return {a.kind: (a.severity, a.detail)
                for a in session.scalars(select(Alert).where(Alert.resolved_at.is_(None)))}


def _storage(code: str, detail: str = "") -> dict[str, Any]:
    return {"id": "storage", "kind": "storage", "state": "UNAVAILABLE" if code == "MEDIA_EMPTY" else "READY",
            "code": code, "detail": detail}


def _clock(code: str, detail: str = "") -> dict[str, Any]:
    return {"id": "clock", "kind": "clock", "state": "READY", "code": code, "detail": detail}


@pytest.mark.parametrize("runtime", ["sqlite"], indirect=True)
def test_low_and_full_disk_and_a_skewed_clock_open_alerts_that_clear(runtime: PlatformRuntime) -> None:
    enrolled(runtime)
    _beat(runtime, _storage("OK", "900 MB free"), _clock("OK", "1 s behind"))
    assert _open(runtime) == {}
    _beat(runtime, _storage("MEDIA_LOW", "300 MB free, below 500 MB"),
          _clock("HARDWARE_ERROR", "300 s ahead of the platform's clock"))
    assert _open(runtime) == {"disk_low": ("WARNING", "300 MB free, below 500 MB"),
                              "clock_skew": ("WARNING", "300 s ahead of the platform's clock")}
    _beat(runtime, _storage("MEDIA_EMPTY", "writes fail"), _clock("OK"))
    assert set(_open(runtime)) == {"disk_full"} and _open(runtime)["disk_full"][0] == "ALARM"
    _beat(runtime, _storage("OK"), _clock("OK"))
    assert _open(runtime) == {}


@pytest.mark.parametrize("runtime", ["sqlite"], indirect=True)
def test_a_station_that_does_not_report_them_leaves_them_alone(runtime: PlatformRuntime) -> None:
    enrolled(runtime)
    _beat(runtime, _storage("MEDIA_LOW"))
    _beat(runtime)  # an older station: no storage component at all
    assert set(_open(runtime)) == {"disk_low"}
