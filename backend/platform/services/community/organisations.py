"""Grassroots organisations filing for community registration (社区社会组织备案), decided by
staff in the approval flow's way — approve, ask for more, or refuse with a reason (the shared
``application.*`` codes) — and sent to the community's stations: approved ones are listed at the
kiosk with what they do and how to join, and may publish activities."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.shared.applications import ALREADY_DECIDED, REASON_REQUIRED
from backend.shared.community.errors import ORGANISATION_NOT_FOUND
from backend.shared.community.messages import ORGANISATION, OrganisationFiled, OrganisationStatus
from backend.shared.errors import AppError

from ...db.community_models import Organisation
from .. import changes

Decision = Literal["approve", "more_info", "refuse"]
STATE_OF = {"approve": "approved", "more_info": "more_info", "refuse": "refused"}


def record_filing(
    session: Session, *, message: OrganisationFiled, station_id: str, community_code: str, now: datetime
) -> Organisation:
    organisation = Organisation(
        id=message.id,
        community_code=community_code,
        station_id=station_id,
        name=message.name,
        kind=message.kind,
        leader_hash=message.leader_hash,
        leader_name=message.leader_name,
        leader_id_masked=message.leader_id_masked,
        contact_sealed=message.contact_sealed,
        contact_masked=message.contact_masked,
        members=message.members,
        activities=message.activities,
        how_to_join="",
        state="applied",
        filed_at=message.filed_at,
        updated_at=now,
    )
    session.add(organisation)
    publish(session, organisation, now=now)
    return organisation


def decide(
    session: Session,
    *,
    organisation: Organisation,
    decision: Decision,
    reason: str,
    how_to_join: str,
    by: str,
    now: datetime,
) -> None:
    """Approve, ask for more (a reason says what) or refuse (with a reason)."""
    if organisation.state in ("approved", "refused"):
        raise AppError(ALREADY_DECIDED)
    if decision != "approve" and not reason.strip():
        raise AppError(REASON_REQUIRED)
    organisation.state, organisation.reason = STATE_OF[decision], reason.strip()[:255]
    if how_to_join.strip():
        organisation.how_to_join = how_to_join.strip()[:255]
    organisation.decided_by, organisation.decided_at, organisation.updated_at = by, now, now
    publish(session, organisation, now=now)


def publish(session: Session, organisation: Organisation, *, now: datetime) -> None:
    session.flush()
    status = OrganisationStatus(
        id=organisation.id,
        community_code=organisation.community_code,
        name=organisation.name,
        kind=organisation.kind,
        leader_hash=organisation.leader_hash,
        state=organisation.state,
        reason=organisation.reason,
        members=organisation.members,
        activities=organisation.activities,
        how_to_join=organisation.how_to_join,
        updated_at=now,
    )
    changes.publish(
        session,
        kind=ORGANISATION,
        scope=changes.community_scope(organisation.community_code),
        key=organisation.id,
        payload=status.model_dump(mode="json"),
        now=now,
        supersede=True,
    )


def get_organisation(
    session: Session, organisation_id: str, communities: list[str] | None = None
) -> Organisation:
    organisation = session.get(Organisation, organisation_id)
    if organisation is None or (communities is not None and organisation.community_code not in communities):
        raise AppError(ORGANISATION_NOT_FOUND, detail=organisation_id[:40])
    return organisation


def view(organisation: Organisation) -> dict[str, Any]:
    return {
        "id": organisation.id,
        "community_code": organisation.community_code,
        "name": organisation.name,
        "kind": organisation.kind,
        "leader_name": organisation.leader_name,
        "leader_id_masked": organisation.leader_id_masked,
        "contact_masked": organisation.contact_masked,
        "members": organisation.members,
        "activities": organisation.activities,
        "how_to_join": organisation.how_to_join,
        "state": organisation.state,
        "reason": organisation.reason,
        "decided_by": organisation.decided_by,
        "filed_at": organisation.filed_at.isoformat(),
        "decided_at": organisation.decided_at.isoformat() if organisation.decided_at else None,
    }


def listed(session: Session, communities: list[str], state: str | None = None) -> list[Organisation]:
    query = select(Organisation).where(Organisation.community_code.in_(communities))
    if state:
        query = query.where(Organisation.state == state)
    return list(session.scalars(query.order_by(Organisation.filed_at.desc()).limit(500)))
