"""Applications needing approval: list them by area, decide them; the decision goes to the station."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from ...db.session import write_transaction
from ...services import audit
from ...services.certificates import applications as service
from ..deps import RuntimeDep, VisibilityDep

router = APIRouter(prefix="/api/staff/applications", tags=["applications"])
class DecisionBody(BaseModel):
    approve: bool
    reason: str = Field(default="", max_length=255)


@router.get("")
def list_applications(visible: VisibilityDep, runtime: RuntimeDep,
                      state: Literal["applied", "approved", "rejected", "all"] = "applied",
                      limit: int = Query(200, ge=1, le=1000)) -> list[dict[str, Any]]:
    """Applications in the user's area, oldest first; by default those waiting for a decision."""
    visible.staff.require("applications")
    with runtime.db() as session:
        rows = service.waiting(session, communities=visible.communities,
                               state=None if state == "all" else state, limit=limit)
        return [service.view(r) for r in rows]


@router.get("/{application_id}")
def get_application(application_id: str, visible: VisibilityDep, runtime: RuntimeDep) -> dict[str, Any]:
    """One application with what the resident entered (audited) and where its decision stands."""
    visible.staff.require("applications")
    now = runtime.clock.now()
    with write_transaction(runtime.db) as session:
        record = service.visible(session, application_id, visible.communities)
        audit.record(session, actor=visible.staff.username, action="application.view",
                     target=f"application:{application_id}", at=now)
        return service.view(record, full=True)


@router.post("/{application_id}/decision")
def decide(application_id: str, body: DecisionBody, visible: VisibilityDep,
           runtime: RuntimeDep) -> dict[str, Any]:
    """Approve, or reject with a reason; the station issues (or not) when the decision reaches it."""
    visible.staff.require("applications")
    now = runtime.clock.now()
    with write_transaction(runtime.db) as session:
        record = service.visible(session, application_id, visible.communities)
        service.decide(session, record, approve=body.approve, reason=body.reason,
                       staff=visible.staff.username, now=now)
        audit.record(session, actor=visible.staff.username, action="application.decide",
                     target=f"application:{application_id}", at=now,
                     detail={"approve": body.approve, "reason": body.reason, "station": record.station_id})
        result = service.view(record, full=True)
    runtime.publish([{"type": "application.decided", "id": application_id, "station_id": record.station_id,
                      "community": record.community_code, "state": record.state, "decided_on": "platform"}])
    return result
