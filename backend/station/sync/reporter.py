"""What the station tells the platform about itself: component and service state changes (as
outbox events, so none is lost while offline) and the periodic heartbeat."""

from __future__ import annotations

import shutil
import threading
import time
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from backend.shared.protocol import (
    ComponentReport,
    Counters,
    EventType,
    Heartbeat,
    ServiceReport,
)
from devices.model import ComponentState, StatusCode

from ..db.models import Certificate, PrintJob
from ..db.session import write_transaction
from ..db.ticket_models import LocalTicket
from ..events import StationEvent
from ..hardware.component import Component
from ..services import outbox
from ..services.availability import SERVICES, ServiceState, ServiceStatus, evaluate
from ..version import VERSION
from . import state
from .health import station_components

if TYPE_CHECKING:
    from ..runtime import StationRuntime

PAPER = {StatusCode.OK: "ok", StatusCode.MEDIA_LOW: "low", StatusCode.MEDIA_EMPTY: "empty"}


class StateReporter:
    """Records component and service state changes in the outbox; builds heartbeats."""

    def __init__(self, runtime: StationRuntime) -> None:
        self.runtime = runtime
        self.started_at = runtime.clock.now()
        self._started_monotonic = time.monotonic()
        self._lock = threading.Lock()
        self._last_component: dict[str, tuple[str, str]] = {}
        self._last_service: dict[str, Any] | None = None
        self._bus_mark: StationEvent | None = None
        self._scans = 0

    def attach(self) -> None:
        """Listen to every component; record the state as it is now."""
        for component in self.runtime.devices.components.values():
            component.on_change(self._component_changed)
            self._component_changed(component)
        self.service_changed()

    def _component_changed(self, component: Component) -> None:
        status = component.status
        # BUSY comes and goes with every print: only READY/UNAVAILABLE and the code matter.
        shown = ComponentState.READY.value if status.state is ComponentState.BUSY else status.state.value
        key = (shown, status.code.value)
        with self._lock:
            if self._last_component.get(component.info.id) == key:
                return
            self._last_component[component.info.id] = key
            self._record(EventType.COMPONENT_STATUS, component.info.id, {
                "id": component.info.id, "kind": component.info.kind.value, "state": shown,
                "code": status.code.value, "detail": status.detail[:255],
                "simulated": component.info.simulated})
        self.service_changed()

    def service_changed(self) -> None:
        """Record the station's service state if it differs from the last one recorded."""
        summary = self.service_summary()
        with self._lock:
            if summary == self._last_service:
                return
            self._last_service = summary
            self._record(EventType.SERVICE_STATE, self.runtime.settings.station_id, summary)

    def service_summary(self) -> dict[str, Any]:
        statuses = [evaluate(s, self.runtime.devices.statuses(),
                             suspended_reason=self.runtime.suspended_reason,
                             storage_fault=self.runtime.storage_fault)
                    for s in SERVICES]
        overall, reason = _overall(statuses)
        return {"state": overall, "reason": reason,
                "services": [{"code": s.code, "state": s.state.value,
                              "reason": s.reason.value if s.reason else None} for s in statuses]}

    def _record(self, event_type: EventType, aggregate_id: str, payload: dict[str, Any]) -> None:
        with write_transaction(self.runtime.db) as session:
            outbox.record(session, event_type=event_type, aggregate_id=aggregate_id, payload=payload,
                          at=self.runtime.clock.now())

    # ---- heartbeat ------------------------------------------------------------------------------

    def heartbeat(self) -> Heartbeat:
        """Build a heartbeat from the devices, the database and the counters."""
        runtime = self.runtime
        now = runtime.clock.now()
        summary = self.service_summary()
        with runtime.db() as session:
            depth, oldest = state.outbox_backlog(session, now)
            cursor = int(state.get(session, state.CURSOR, 0))
            counters = self._counters(session)
        statuses = runtime.devices.statuses()
        printer = statuses.get("printer")
        return Heartbeat(
            station_id=runtime.settings.station_id, sent_at=now,
            version=runtime.release_version or VERSION,
            uptime_seconds=round(time.monotonic() - self._started_monotonic, 1),
            service_state=summary["state"], service_reason=summary["reason"],
            services=[ServiceReport(**s) for s in summary["services"]],
            components=[*(_component_report(c) for c in runtime.devices.components.values()),
                        *station_components(runtime)],
            paper_level=PAPER.get(printer.code, "unknown") if printer else "unknown",
            outbox_depth=depth, outbox_oldest_age_seconds=round(oldest, 1),
            disk_free_bytes=shutil.disk_usage(runtime.settings.data_dir).free,
            counters=counters, cursor=cursor)

    def _counters(self, session: Any) -> Counters:
        since: datetime = self.started_at
        certificates = session.scalar(select(func.count()).select_from(Certificate)
                                      .where(Certificate.issued_at >= since)) or 0
        failures = session.scalar(select(func.count()).select_from(PrintJob)
                                  .where(PrintJob.started_at >= since, PrintJob.result == "failed")) or 0
        # Requests are the tickets residents filed here, not visits (a session may file nothing).
        requests = session.scalar(select(func.count()).select_from(LocalTicket).where(
            LocalTicket.filed_here.is_(True), LocalTicket.submitted_at >= since)) or 0
        self._count_bus_events()
        return Counters(certificates=certificates, requests=requests, scans=self._scans,
                        print_failures=failures)

    def _count_bus_events(self) -> None:
        # The bus keeps recent history; count what arrived since the last look.
        history = self.runtime.bus.history()
        mark = self._bus_mark
        start = next((i + 1 for i in range(len(history) - 1, -1, -1) if history[i] is mark), None)
        if start is None:  # the mark fell out of the history (or there is none yet): go by time
            start = 0 if mark is None else len([e for e in history if e.at <= mark.at])
        for event in history[start:]:
            self._scans += event.type == "code.scanned"
        if history:
            self._bus_mark = history[-1]


def _overall(statuses: list[ServiceStatus]) -> tuple[str, str | None]:
    if any(s.state is ServiceState.SUSPENDED for s in statuses):
        return ServiceState.SUSPENDED.value, statuses[0].note or "suspended"
    down = [s for s in statuses if s.state is ServiceState.UNAVAILABLE]
    if not down:
        return ServiceState.AVAILABLE.value, None
    reason = "; ".join(f"{s.code}: {s.reason.value if s.reason else ''} "
                       f"{s.note or ','.join(f'{c}={code}' for c, code in s.blocking)}" for s in down)
    overall = ServiceState.UNAVAILABLE.value if len(down) == len(statuses) else "PARTIAL"
    return overall, reason[:255]


def _component_report(component: Component) -> ComponentReport:
    status = component.status
    return ComponentReport(id=component.info.id, kind=component.info.kind.value, state=status.state.value,
                           code=status.code.value, detail=status.detail[:255],
                           simulated=component.info.simulated)
