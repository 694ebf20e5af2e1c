"""Applications needing approval on the platform: what stations report, and staff decisions.

A decision made here is sent down to the station the application came from as an
``application`` change; the station applies it (approving issues the certificate there, for the
resident to collect with the pickup slip) and reports the outcome
(``application.platform_decision``). The station's state is the truth: a decision its own staff
made first stands, and the platform records the conflict.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.shared.applications import (
    ALREADY_DECIDED,
    APPLICATION_NOT_FOUND,
    PLATFORM_ACTOR_PREFIX,
    REASON_REQUIRED,
    DecisionReport,
    Outcome,
    PlatformDecision,
)
from backend.shared.errors import AppError
from backend.shared.protocol import ChangeKind

from ...db.certificate_models import ApplicationRecord
from .. import changes

STATES = ("applied", "approved", "rejected")
DECIDED = ("approved", "rejected")


def record_reported(session: Session, *, station_id: str, community_code: str,
                    payload: dict[str, Any], now: datetime) -> ApplicationRecord:
    """Create or refresh an application from a station's event (the station's facts win)."""
    record = session.get(ApplicationRecord, str(payload["id"]))
    if record is None:
        record = ApplicationRecord(id=str(payload["id"]), station_id=station_id,
                                   community_code=community_code, state="applied", decided_by="",
                                   decided_on="", delivery="", delivery_detail="")
        session.add(record)
    record.type_code = str(payload["type_code"])[:32]
    record.holder_name = str(payload.get("holder_name", ""))[:64]
    record.holder_id_masked = str(payload.get("holder_id_masked", ""))[:24]
    record.purpose = str(payload.get("purpose", ""))[:64]
    record.resident_fields = dict(payload.get("resident_fields") or {})
    record.submitted_at = datetime.fromisoformat(str(payload["created_at"]))
    record.updated_at = now
    return record


def record_station_decision(record: ApplicationRecord, payload: dict[str, Any], *, at: datetime,
                            now: datetime) -> None:
    """Take the decision the station reports (its own staff's, or ours applied there)."""
    by = str(payload.get("decided_by", ""))
    ours = by.startswith(PLATFORM_ACTOR_PREFIX)
    record.state = str(payload["state"])
    record.reason = str(payload.get("reason") or "")[:255]
    record.certificate_id = payload.get("certificate_id") or None
    record.decided_by = (by[len(PLATFORM_ACTOR_PREFIX):] if ours else by)[:64]
    record.decided_on = "platform" if ours else "station"
    if not ours or record.decided_at is None:
        record.decided_at = at
    record.updated_at = now


def record_report(record: ApplicationRecord, report: DecisionReport, *, now: datetime) -> None:
    """Follow a platform decision to its end: applied, a conflict, or a failure (decide again)."""
    if report.state in STATES:
        record.state = report.state
    if report.certificate_id:
        record.certificate_id = report.certificate_id
    record.delivery, record.delivery_detail = _delivery(report)
    if record.state == "applied":  # not applied at the station: staff may decide again
        record.decided_by, record.decided_at, record.decided_on = "", None, ""
    record.updated_at = now


def _delivery(report: DecisionReport) -> tuple[str, str]:
    if report.outcome is Outcome.APPLIED:
        return "applied", ""
    if report.outcome is Outcome.ALREADY_APPLIED:
        return "applied", "the station had already decided the same way"
    if report.outcome is Outcome.CONFLICT:
        return "conflict", f"the station had already {report.state} it; its decision stands"
    if report.outcome is Outcome.UNKNOWN:
        return "failed", "the station does not know this application"
    return "failed", f"the station could not apply it ({report.code or 'error'})"


def waiting(session: Session, *, communities: list[str], state: str | None,
            limit: int) -> list[ApplicationRecord]:
    """Applications in the given communities, oldest first; by default those waiting for a decision."""
    query = select(ApplicationRecord).where(ApplicationRecord.community_code.in_(communities))
    if state is not None:
        query = query.where(ApplicationRecord.state == state)
    return list(session.scalars(query.order_by(ApplicationRecord.submitted_at).limit(limit)))


def visible(session: Session, application_id: str, communities: list[str]) -> ApplicationRecord:
    """Return an application in the user's area (others look as if they did not exist)."""
    record = session.get(ApplicationRecord, application_id)
    if record is None or record.community_code not in communities:
        raise AppError(APPLICATION_NOT_FOUND)
    return record


def decide(session: Session, record: ApplicationRecord, *, approve: bool, reason: str, staff: str,
           now: datetime) -> ApplicationRecord:
    """Record a staff decision and send it to the application's station."""
    if not approve and not reason.strip():
        raise AppError(REASON_REQUIRED)
    if record.state != "applied":
        raise AppError(ALREADY_DECIDED, detail=record.state)
    decision = PlatformDecision(id=record.id, approve=approve, reason=reason.strip(), staff=staff,
                                decided_at=now)
    record.state = "approved" if approve else "rejected"
    record.reason, record.decided_by, record.decided_at = decision.reason, staff, now
    record.decided_on, record.delivery, record.delivery_detail = "platform", "sent", ""
    record.change_cursor = changes.publish(
        session, kind=ChangeKind.APPLICATION, scope=changes.station_scope(record.station_id),
        key=record.id, payload=decision.model_dump(mode="json"), now=now)
    record.updated_at = now
    return record


def view(record: ApplicationRecord, *, full: bool = False) -> dict[str, Any]:
    """An application as staff see it: the masked number only, never the ID number; what the
    resident entered (e.g. a poor student's school) only in the ``full`` view, which is audited."""
    extra = {"resident_fields": record.resident_fields} if full else {}
    return extra | {
        "id": record.id, "station_id": record.station_id, "community_code": record.community_code,
        "type_code": record.type_code, "state": record.state, "holder_name": record.holder_name,
        "holder_id_masked": record.holder_id_masked, "purpose": record.purpose, "reason": record.reason,
        "certificate_id": record.certificate_id, "submitted_at": record.submitted_at.isoformat(),
        "decided_by": record.decided_by, "decided_on": record.decided_on,
        "decided_at": record.decided_at.isoformat() if record.decided_at else None,
        "delivery": record.delivery, "delivery_detail": record.delivery_detail,
    }
