"""A device fault alerts only once it has lasted its component's duration (settings
component_alert_seconds): the ID-card reader after 120 s, the printer after 60 s, so a cover
opened for 4 s stays quiet; the alert resolves itself when the device is back."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from backend.platform.db.fleet_models import Alert
from backend.platform.db.session import write_transaction
from backend.platform.runtime import PlatformRuntime
from backend.platform.services import alerts
from backend.platform.services.ingest import apply_batch
from backend.platform.settings import COMPONENT_ALERT_SECONDS, PlatformSettings
from backend.shared.protocol import EventBatch, OutboxEventIn

from .conftest import NOW, enrolled


def _report(runtime: PlatformRuntime, seq: int, component: str, code: str, at_seconds: float) -> None:
    down = code != "OK"
    event = OutboxEventIn(seq=seq, type="component.status", aggregate_id=component, created_at=NOW, payload={
        "id": component, "kind": component, "state": "UNAVAILABLE" if down else "READY", "code": code,
        "detail": "", "simulated": True})
    with write_transaction(runtime.db) as session:
        apply_batch(session, station_id="st-01", batch=EventBatch(station_id="st-01", events=[event]),
                    now=NOW + timedelta(seconds=at_seconds))


def _sweep(runtime: PlatformRuntime, at_seconds: float) -> None:
    with write_transaction(runtime.db) as session:
        for station_id in alerts.fault_candidates(session):
            alerts.evaluate_faults(session, station_id=station_id, now=NOW + timedelta(seconds=at_seconds),
                                   after=COMPONENT_ALERT_SECONDS, notes=[])


def _open(runtime: PlatformRuntime) -> list[str]:
    with runtime.db() as session:
        return [a.kind for a in session.scalars(select(Alert).where(Alert.open_marker == 1))]


def test_reader_alerts_after_its_duration_and_resolves(runtime: PlatformRuntime) -> None:
    enrolled(runtime)
    _report(runtime, 1, "idcard", "NOT_RESPONDING", 0)
    _sweep(runtime, 60)
    assert _open(runtime) == []  # a minute: not yet
    _sweep(runtime, 180)
    assert _open(runtime) == ["idcard_fault"]  # three minutes: alerting
    _report(runtime, 2, "idcard", "OK", 200)
    _sweep(runtime, 201)
    assert _open(runtime) == []


def test_a_short_cover_open_stays_quiet(runtime: PlatformRuntime) -> None:
    enrolled(runtime)
    _report(runtime, 1, "printer", "COVER_OPEN", 0)
    _sweep(runtime, 2)
    _report(runtime, 2, "printer", "OK", 4)
    _sweep(runtime, 120)
    assert _open(runtime) == []


def test_durations_are_overridable_per_component() -> None:
    settings = PlatformSettings(component_alert_seconds={"idcard": 30})
    assert settings.component_alert_seconds["idcard"] == 30
    assert settings.component_alert_seconds["printer"] == COMPONENT_ALERT_SECONDS["printer"]
