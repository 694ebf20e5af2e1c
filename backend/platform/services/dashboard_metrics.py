"""Gauges for the Grafana dashboard and the Prometheus rules in deploy/: availability per
community, certificates issued, printers low on paper, tickets against their deadlines, and the
notification outbox. Read from the database at scrape, so every worker answers the same."""

from __future__ import annotations

from datetime import datetime

from prometheus_client import CollectorRegistry, Gauge
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.shared.tickets.workflow import OPEN_STATES

from ..db.area_models import Station
from ..db.certificate_models import CertificateRecord
from ..db.fleet_models import ComponentState, StationState
from ..db.notify_models import NotificationDelivery
from ..db.ticket_models import Ticket


def export(session: Session, registry: CollectorRegistry, *, online_since: datetime) -> None:
    """Add the dashboard's gauges to a scrape's registry."""
    enrolled = Gauge("kiosk_platform_community_stations", "enrolled stations per community", ["community"],
                     registry=registry)
    online = Gauge("kiosk_platform_community_stations_online", "stations online per community",
                   ["community"], registry=registry)
    up_now = func.count(StationState.last_seen).filter(StationState.last_seen >= online_since)
    rows = session.execute(select(Station.community_code, func.count(), up_now)
                           .join(StationState, StationState.station_id == Station.id)
                           .where(Station.status == "enrolled").group_by(Station.community_code)).all()
    for community, count, up in rows:
        enrolled.labels(community).set(count)
        online.labels(community).set(up)
    Gauge("kiosk_platform_certificates_issued", "certificates issued, all stations (a running total)",
          registry=registry).set(session.scalar(select(func.count()).select_from(CertificateRecord)) or 0)
    paper_low = select(func.count()).select_from(ComponentState).where(
        ComponentState.component_id == "printer", ComponentState.code.in_(("MEDIA_LOW", "MEDIA_EMPTY")))
    Gauge("kiosk_platform_printers_paper_low", "stations whose printer reports paper low or out",
          registry=registry).set(session.scalar(paper_low) or 0)
    _tickets(session, registry)
    pending = Gauge("kiosk_platform_notifications", "notification deliveries by state", ["state"],
                    registry=registry)
    for state, count in session.execute(select(NotificationDelivery.state, func.count())
                                        .group_by(NotificationDelivery.state)):
        pending.labels(state).set(count)


def _tickets(session: Session, registry: CollectorRegistry) -> None:
    """Open tickets, and those whose deadline reached its warning stage or beyond (the SLA)."""
    stages = session.scalars(select(Ticket.escalation).where(Ticket.state.in_([str(s) for s in OPEN_STATES])))
    total = late = 0
    for escalation in stages:
        total += 1
        late += bool(escalation and max(escalation.values(), default=0) > 0)
    Gauge("kiosk_platform_tickets_open", "open 12345 tickets", registry=registry).set(total)
    Gauge("kiosk_platform_tickets_deadline_warned", "open tickets past the warning stage of a deadline",
          registry=registry).set(late)
