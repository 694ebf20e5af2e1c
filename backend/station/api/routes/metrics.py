"""Prometheus metrics at /metrics."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Gauge, generate_latest
from sqlalchemy import func, select

from devices.model import ComponentState

from ...db.models import Certificate, OutboxEvent
from ...runtime import StationRuntime
from ...sync import state as sync_state
from ..deps import RuntimeDep

router = APIRouter(tags=["metrics"])


@router.get("/metrics")
def metrics(runtime: RuntimeDep) -> Response:
    """Export the station's gauges in the Prometheus text format."""
    registry = CollectorRegistry()
    up = Gauge("kiosk_component_up", "1 if the component is usable", ["component", "code"],
               registry=registry)
    for cid, status in runtime.devices.statuses().items():
        up.labels(cid, status.code.value).set(
            1 if status.usable and status.state is not ComponentState.UNAVAILABLE else 0)
    with runtime.db() as db:
        pending = db.scalar(select(func.count()).select_from(OutboxEvent)
                            .where(OutboxEvent.sent_at.is_(None))) or 0
        by_state = db.execute(select(Certificate.state, func.count())
                              .group_by(Certificate.state)).all()
    Gauge("kiosk_outbox_pending", "events not yet acknowledged by the platform",
          registry=registry).set(pending)
    _sync_gauges(runtime, registry)
    certificates = Gauge("kiosk_certificates", "certificates by state", ["state"], registry=registry)
    for state, count in by_state:
        certificates.labels(state).set(count)
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)


def _sync_gauges(runtime: StationRuntime, registry: CollectorRegistry) -> None:
    now = runtime.clock.now()
    with runtime.db() as db:
        _depth, oldest = sync_state.outbox_backlog(db, now)
        last = sync_state.get(db, sync_state.LAST_SYNC)
        cursor = sync_state.get(db, sync_state.CURSOR, 0)
    Gauge("kiosk_outbox_oldest_unsent_age_seconds", "age of the oldest event not yet acknowledged",
          registry=registry).set(oldest)
    Gauge("kiosk_sync_last_success_timestamp_seconds", "unix time the platform last answered a sync",
          registry=registry).set(datetime.fromisoformat(last).timestamp() if last else 0)
    Gauge("kiosk_sync_enrolled", "1 when the station is enrolled with a platform",
          registry=registry).set(1 if runtime.enrolment is not None else 0)
    Gauge("kiosk_sync_changes_cursor", "the last change applied from the platform",
          registry=registry).set(cursor)
    worker = runtime.sync
    Gauge("kiosk_sync_consecutive_failures", "sync rounds failed in a row",
          registry=registry).set(worker.failures if worker is not None else 0)
