"""Alerts that open when a cause appears and resolve themselves when it clears.

Kinds: station offline, printer out of paper, printer jammed, outbox growing, certificate
printing failing, disk low or full, clock skew, a station process out of service. At most one
alert per station and kind is open (a unique constraint), so several workers noticing the same
cause at once open it once.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend.shared.errors import AppError

from ..db.area_models import Station
from ..db.fleet_models import Alert, ComponentState, StationState
from ..db.staff_models import User
from . import org
from .errors import ALERT_ASSIGNEE_UNKNOWN, ALERT_NOT_FOUND
from .notify import outbox

OFFLINE = "station_offline"
PAPER_OUT = "printer_paper_out"
JAMMED = "printer_jammed"
OUTBOX = "outbox_growing"
PRINTING = "printing_failing"
DISK_LOW = "disk_low"
DISK_FULL = "disk_full"
CLOCK_SKEW = "clock_skew"
PART_DOWN = "part_out_of_service"  # a station process its supervisor gave up restarting
# A device unavailable for longer than its component's duration (settings.component_alert_seconds).
FAULTS = {"printer": "printer_fault", "idcard": "idcard_fault", "scanner": "scanner_fault",
          "camera": "camera_fault"}
OWN_ALERT_CODES = {"MEDIA_EMPTY", "MEDIA_JAMMED"}  # the printer's paper and jam alerts say these at once
SEVERITY = {OFFLINE: "ALARM", PAPER_OUT: "ALARM", JAMMED: "ALARM", OUTBOX: "WARNING",
            PRINTING: "ALARM", DISK_LOW: "WARNING", DISK_FULL: "ALARM", CLOCK_SKEW: "WARNING",
            PART_DOWN: "ALARM", "printer_fault": "ALARM", "idcard_fault": "ALARM", "scanner_fault": "WARNING",
            "camera_fault": "WARNING"}

Notes = list[dict[str, Any]]


def set_alert(session: Session, *, station_id: str, kind: str, active: bool, detail: str,
              now: datetime, notes: Notes) -> None:
    """Open the alert if its cause is active and none is open; resolve it if the cause cleared."""
    current = open_alert(session, station_id, kind)
    cache: dict[str, Alert] = session.info["open_alerts"][station_id]
    if active and current is None:
        opened = _open(session, station_id, kind, detail, now)
        if opened is not None:
            cache[kind] = opened
            outbox.alert_changed(session, alert_id=opened.id, state="firing", now=now)  # same transaction
            notes.append({"type": "alert.opened", **alert_view(opened)})
    elif not active and current is not None:
        current.resolved_at, current.open_marker = now, None
        del cache[kind]
        outbox.alert_changed(session, alert_id=current.id, state="resolved", now=now)
        notes.append({"type": "alert.resolved", **alert_view(current)})


def open_alert(session: Session, station_id: str, kind: str) -> Alert | None:
    """Return the open alert of this kind, loading all of the station's open alerts once per session."""
    cache: dict[str, dict[str, Alert]] = session.info.setdefault("open_alerts", {})
    if station_id not in cache:
        cache[station_id] = {a.kind: a for a in session.scalars(
            select(Alert).where(Alert.station_id == station_id, Alert.open_marker == 1))}
    return cache[station_id].get(kind)


def _open(session: Session, station_id: str, kind: str, detail: str, now: datetime) -> Alert | None:
    alert = Alert(station_id=station_id, kind=kind, severity=SEVERITY[kind], detail=detail[:255],
                  opened_at=now, open_marker=1)
    try:
        with session.begin_nested():
            session.add(alert)
            session.flush()
    except IntegrityError:
        return None  # another worker opened it a moment ago
    return alert


def evaluate_printer(session: Session, *, station_id: str, now: datetime, notes: Notes) -> None:
    """Open or resolve the paper and jam alerts from the printer's last reported code."""
    printer = session.get(ComponentState, (station_id, "printer"))
    code = printer.code if printer is not None else ""
    set_alert(session, station_id=station_id, kind=PAPER_OUT, active=code == "MEDIA_EMPTY",
              detail="printer reports MEDIA_EMPTY", now=now, notes=notes)
    set_alert(session, station_id=station_id, kind=JAMMED, active=code == "MEDIA_JAMMED",
              detail="printer reports MEDIA_JAMMED", now=now, notes=notes)


def evaluate_faults(session: Session, *, station_id: str, now: datetime, after: dict[str, int],
                    notes: Notes) -> None:
    """Open a device's fault alert once it has been unavailable for its component's duration;
    resolve it when the device is back. A shorter fault (a cover opened for a moment) stays quiet."""
    for component, kind in FAULTS.items():
        if component not in after:
            continue
        row = session.get(ComponentState, (station_id, component))
        faulty = (row is not None and row.state == "UNAVAILABLE"
                  and not (component == "printer" and row.code in OWN_ALERT_CODES))
        if not faulty:
            set_alert(session, station_id=station_id, kind=kind, active=False, detail="", now=now,
                      notes=notes)
            continue
        assert row is not None
        lasted = int((now - row.changed_at).total_seconds())
        if lasted >= after[component]:
            set_alert(session, station_id=station_id, kind=kind, active=True,
                      detail=f"{row.code} for {lasted} s", now=now, notes=notes)


def fault_candidates(session: Session) -> list[str]:
    """Stations with a device unavailable now or a fault alert open: the sweep looks at these."""
    down = select(ComponentState.station_id).where(ComponentState.component_id.in_(list(FAULTS)),
                                                   ComponentState.state == "UNAVAILABLE")
    alerting = select(Alert.station_id).where(Alert.kind.in_(list(FAULTS.values())), Alert.open_marker == 1)
    return sorted(set(session.scalars(down)) | set(session.scalars(alerting)))


def evaluate_parts(session: Session, *, station_id: str, now: datetime, notes: Notes) -> None:
    """Open the out-of-service alert while any of the station's processes is down; resolve it
    when all are back."""
    down = session.scalars(select(ComponentState).where(
        ComponentState.station_id == station_id, ComponentState.kind == "process",
        ComponentState.state == "UNAVAILABLE").order_by(ComponentState.component_id)).all()
    detail = "; ".join(f"{c.component_id}: {c.detail}" for c in down)
    set_alert(session, station_id=station_id, kind=PART_DOWN, active=bool(down), detail=detail,
              now=now, notes=notes)


def evaluate_station_health(session: Session, *, station_id: str, components: list[dict[str, Any]],
                            now: datetime, notes: Notes) -> None:
    """Open or resolve the disk and clock alerts from the station's own components (storage,
    clock) in its heartbeat; a station that does not report them leaves them alone."""
    by_id = {c["id"]: c for c in components}
    storage, clock = by_id.get("storage"), by_id.get("clock")
    if storage is not None:
        code, detail = storage["code"], storage.get("detail", "")
        set_alert(session, station_id=station_id, kind=DISK_LOW, active=code == "MEDIA_LOW", detail=detail,
                  now=now, notes=notes)
        set_alert(session, station_id=station_id, kind=DISK_FULL, active=code == "MEDIA_EMPTY",
                  detail=detail, now=now, notes=notes)
    if clock is not None:
        set_alert(session, station_id=station_id, kind=CLOCK_SKEW, active=clock["code"] != "OK",
                  detail=clock.get("detail", ""), now=now, notes=notes)


def evaluate_outbox(session: Session, *, state: StationState, depth_limit: int, age_limit: int,
                    now: datetime, notes: Notes) -> None:
    growing = state.outbox_depth > depth_limit or state.outbox_oldest_age_seconds > age_limit
    detail = f"{state.outbox_depth} unsent, oldest {state.outbox_oldest_age_seconds:.0f} s"
    set_alert(session, station_id=state.station_id, kind=OUTBOX, active=growing, detail=detail,
              now=now, notes=notes)


def offline_candidates(session: Session, *, now: datetime, offline_after: int) -> list[str]:
    """Enrolled stations silent for longer than ``offline_after`` with no open offline alert."""
    cutoff = now - timedelta(seconds=offline_after)
    silent = or_(StationState.last_seen < cutoff,
                 and_(StationState.last_seen.is_(None), Station.enrolled_at < cutoff))
    already = select(Alert.station_id).where(Alert.kind == OFFLINE, Alert.open_marker == 1)
    query = (select(Station.id).join(StationState, StationState.station_id == Station.id)
             .where(Station.status == "enrolled", silent, Station.id.not_in(already)))
    return list(session.scalars(query))


def alert_view(alert: Alert) -> dict[str, Any]:
    return {"id": alert.id, "station_id": alert.station_id, "kind": alert.kind,
            "severity": alert.severity, "detail": alert.detail,
            "opened_at": alert.opened_at.isoformat(),
            "resolved_at": alert.resolved_at.isoformat() if alert.resolved_at else None,
            "acknowledged_at": alert.acknowledged_at.isoformat() if alert.acknowledged_at else None,
            "acknowledged_by": alert.acknowledged_by, "assigned_to": alert.assigned_to}


def list_alerts(session: Session, *, station_ids: list[str], open_only: bool,
                limit: int = 200) -> list[dict[str, Any]]:
    query = select(Alert).where(Alert.station_id.in_(station_ids)).order_by(Alert.id.desc()).limit(limit)
    if open_only:
        query = query.where(Alert.open_marker == 1)
    return [alert_view(a) for a in session.scalars(query)]


def acknowledge(session: Session, *, alert_id: int, by: str, now: datetime,
                station_ids: list[str]) -> Alert:
    alert = _visible(session, alert_id, station_ids)
    alert.acknowledged_at, alert.acknowledged_by = now, by
    return alert


def assign(session: Session, *, alert_id: int, to: str, station_ids: list[str]) -> Alert:
    """Give the alert to an active staff member whose area holds the station (never free text)."""
    alert = _visible(session, alert_id, station_ids)
    if to not in {a["username"] for a in assignees(session, alert.station_id)}:
        raise AppError(ALERT_ASSIGNEE_UNKNOWN, detail=to[:64])
    alert.assigned_to = to
    return alert


def assignees(session: Session, station_id: str) -> list[dict[str, str]]:
    """The active staff whose area holds the station: those an alert of it may be given to."""
    station = session.get(Station, station_id)
    if station is None:
        return []
    covers: dict[str, bool] = {}
    found = []
    for user in session.scalars(select(User).where(User.active.is_(True)).order_by(User.username)):
        if user.org_code not in covers:
            covers[user.org_code] = station.community_code in org.communities_under(session, user.org_code)
        if covers[user.org_code]:
            found.append({"username": user.username, "display_name": user.display_name or user.username,
                          "role": user.role, "org_code": user.org_code})
    return found


def _visible(session: Session, alert_id: int, station_ids: list[str]) -> Alert:
    alert = session.get(Alert, alert_id)
    if alert is None or alert.station_id not in station_ids:
        raise AppError(ALERT_NOT_FOUND, detail=str(alert_id))
    return alert
