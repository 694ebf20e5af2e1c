"""Prometheus metrics at /metrics."""

from __future__ import annotations

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Gauge, generate_latest
from sqlalchemy import func, select

from devices.model import ComponentState

from ...db.models import Certificate, OutboxEvent
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
    certificates = Gauge("kiosk_certificates", "certificates by state", ["state"], registry=registry)
    for state, count in by_state:
        certificates.labels(state).set(count)
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
