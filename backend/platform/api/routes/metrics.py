"""Prometheus metrics at /metrics: fleet gauges read from the database, and this worker's own."""

from __future__ import annotations

import hmac
from datetime import timedelta

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Gauge, generate_latest
from sqlalchemy import func, select

from backend.shared.errors import UNAUTHENTICATED, AppError

from ...db.area_models import Station
from ...db.fleet_models import Alert, StationState
from ...runtime import PlatformRuntime
from ...services import dashboard_metrics, rollouts
from ...settings import Environment
from ..deps import RuntimeDep, bearer_token

router = APIRouter(tags=["metrics"])


def _require_scraper(request: Request, runtime: PlatformRuntime) -> None:
    """In production /metrics wants ``Authorization: Bearer <KIOSK_PLATFORM_METRICS_TOKEN>``
    (without a configured token it stays closed); the demo serves it to anyone."""
    if runtime.settings.environment is Environment.DEMO:
        return
    expected = runtime.settings.metrics_token
    given = bearer_token(request)
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        raise AppError(UNAUTHENTICATED, detail="metrics token")


@router.get("/metrics")
def metrics(request: Request, runtime: RuntimeDep) -> Response:
    """Export the platform's gauges and this worker's counters in the Prometheus text format."""
    _require_scraper(request, runtime)
    registry = CollectorRegistry()
    now = runtime.clock.now()
    cutoff = now - timedelta(seconds=runtime.settings.offline_after_seconds)
    with runtime.db() as session:
        by_status = session.execute(select(Station.status, func.count()).group_by(Station.status)).all()
        online = session.scalar(select(func.count()).select_from(StationState)
                                .where(StationState.last_seen >= cutoff)) or 0
        alerts = session.execute(select(Alert.kind, Alert.severity, func.count())
                                 .where(Alert.open_marker == 1).group_by(Alert.kind, Alert.severity)).all()
        totals = session.execute(select(func.coalesce(func.sum(Station.events_applied), 0),
                                        func.coalesce(func.sum(Station.duplicates), 0),
                                        func.coalesce(func.sum(StationState.outbox_depth), 0))
                                 .join(StationState, StationState.station_id == Station.id)).one()
        dashboard_metrics.export(session, registry, online_since=cutoff)
        versions = rollouts.station_versions(session)
    stations = Gauge("kiosk_platform_stations", "stations by status", ["status"], registry=registry)
    for status, count in by_status:
        stations.labels(status).set(count)
    Gauge("kiosk_platform_stations_online", "stations heard from within offline_after",
          registry=registry).set(online)
    open_alerts = Gauge("kiosk_platform_alerts_open", "open alerts", ["kind", "severity"], registry=registry)
    for kind, severity, count in alerts:
        open_alerts.labels(kind, severity).set(count)
    Gauge("kiosk_platform_events_applied", "events applied, all stations", registry=registry).set(totals[0])
    Gauge("kiosk_platform_events_duplicate", "duplicate events ignored, all stations",
          registry=registry).set(totals[1])
    Gauge("kiosk_platform_fleet_outbox_depth", "unsent events reported by stations",
          registry=registry).set(totals[2])
    running = Gauge("kiosk_platform_station_versions", "stations by the release version they last reported",
                    ["version"], registry=registry)
    for version, count in versions.items():
        running.labels(version).set(count)
    body = generate_latest(registry) + generate_latest(runtime.metrics.registry)
    return Response(body, media_type=CONTENT_TYPE_LATEST)
