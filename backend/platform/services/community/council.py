"""The compound council (小区议事堂): proposals raised at kiosks, supported once per household
(only a keyed hash of the household is kept); reaching the compound's threshold puts a proposal on
the agenda and files a ticket through the existing dispatch; staff set meetings and decisions."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.shared.community.compounds import compound as find_compound
from backend.shared.community.errors import (
    ALREADY_SUPPORTED,
    BAD_PROPOSAL,
    PROPOSAL_CLOSED,
    PROPOSAL_NOT_FOUND,
)
from backend.shared.community.messages import PROPOSAL, ProposalRaised, ProposalStatus
from backend.shared.errors import AppError
from backend.shared.localtime import local_text
from backend.shared.tickets.config import load_ticket_config
from backend.shared.tickets.dispatch import Place

from ...db.community_models import CouncilMeeting, Proposal, ProposalSupport
from .. import changes
from ..tickets.access import Actor
from ..tickets.service import NewTicket, file_ticket, next_platform_ticket_no

COUNCIL = Actor("小区议事堂", "resident")
JPEG_MAGIC = b"\xff\xd8\xff"


def raise_proposal(
    session: Session,
    *,
    message: ProposalRaised,
    station_id: str,
    community_code: str,
    district_code: str,
    now: datetime,
) -> Proposal:
    """Record a proposal from a kiosk; the raiser's household is its first supporter."""
    compound = find_compound(message.compound, community_code)
    if load_ticket_config().category(message.category) is None:
        raise AppError(BAD_PROPOSAL, detail="category")
    photo = base64.b64decode(message.photo_jpeg) if message.photo_jpeg else None
    proposal = Proposal(
        id=message.id,
        compound=compound.code,
        community_code=community_code,
        station_id=station_id,
        category=message.category,
        title=message.title,
        text=message.text,
        photo=photo if photo and photo.startswith(JPEG_MAGIC) else None,
        owner_hash=message.owner_hash,
        name_masked=message.name_masked,
        state="open",
        threshold=compound.support_threshold,
        supporters=0,
        raised_at=message.raised_at,
        updated_at=now,
    )
    session.add(proposal)
    support(
        session,
        proposal=proposal,
        household_hash=message.household_hash,
        at=message.raised_at,
        district_code=district_code,
        now=now,
    )
    return proposal


def support(
    session: Session,
    *,
    proposal: Proposal,
    household_hash: str,
    at: datetime,
    district_code: str,
    now: datetime,
) -> Proposal:
    """Count one household's support (once); at the threshold, put it on the agenda with a ticket."""
    if proposal.state != "open":
        raise AppError(PROPOSAL_CLOSED)
    session.flush()
    if session.get(ProposalSupport, (proposal.id, household_hash)) is not None:
        raise AppError(ALREADY_SUPPORTED)
    session.add(ProposalSupport(proposal_id=proposal.id, household_hash=household_hash, supported_at=at))
    proposal.supporters += 1
    proposal.updated_at = now
    if proposal.supporters >= proposal.threshold:
        _to_agenda(session, proposal, district_code=district_code, now=now)
    publish(session, proposal, now=now)
    return proposal


def _to_agenda(session: Session, proposal: Proposal, *, district_code: str, now: datetime) -> None:
    config = load_ticket_config()
    compound = find_compound(proposal.compound)
    day = config.calendar.local(now).strftime("%Y%m%d")
    description = (
        f"【小区议事堂·{compound.zh}】{proposal.title}（{proposal.supporters}户支持）\n{proposal.text}"
    ).strip()
    new = NewTicket(
        ticket_no=next_platform_ticket_no(session, district_code=district_code, day_key=day),
        source="council",
        community_code=proposal.community_code,
        chosen_category=proposal.category,
        place=Place("public", landmark=""),
        description=description[:4000],
        submitted_at=now,
        free_text=proposal.text,
        photo=proposal.photo,
    )
    ticket = file_ticket(session, new=new, actor=COUNCIL, config=config, now=now)
    proposal.state, proposal.ticket_no = "agenda", ticket.ticket_no


def schedule(
    session: Session,
    *,
    compound_code: str,
    held_at: datetime,
    place: str,
    proposal_ids: list[str],
    by: str,
    now: datetime,
) -> CouncilMeeting:
    """Set a council meeting and the proposals on its agenda."""
    compound = find_compound(compound_code)
    meeting = CouncilMeeting(
        compound=compound.code,
        community_code=compound.community_code,
        held_at=held_at,
        place=place[:128],
        minutes="",
        created_by=by,
        created_at=now,
    )
    session.add(meeting)
    session.flush()
    for pid in proposal_ids:
        proposal = get_proposal(session, pid, [compound.community_code])
        proposal.meeting_id, proposal.updated_at = meeting.id, now
        if proposal.state == "open":
            proposal.state = "agenda"
        publish(session, proposal, now=now)
    return meeting


def decide(
    session: Session, *, proposal: Proposal, decision: str, accepted: bool, by: str, now: datetime
) -> None:
    """Record the council's decision, shown and printable at the kiosk."""
    if not decision.strip():
        raise AppError(BAD_PROPOSAL, detail="decision")
    proposal.state = "decided" if accepted else "declined"
    proposal.decision, proposal.decided_by, proposal.decided_at = decision.strip()[:2000], by, now
    proposal.updated_at = now
    publish(session, proposal, now=now)


def get_proposal(session: Session, proposal_id: str, communities: list[str] | None = None) -> Proposal:
    proposal = session.get(Proposal, proposal_id)
    if proposal is None or (communities is not None and proposal.community_code not in communities):
        raise AppError(PROPOSAL_NOT_FOUND, detail=proposal_id[:40])
    return proposal


def status(session: Session, proposal: Proposal) -> ProposalStatus:
    meeting = session.get(CouncilMeeting, proposal.meeting_id) if proposal.meeting_id else None
    hashes = list(
        session.scalars(
            select(ProposalSupport.household_hash).where(ProposalSupport.proposal_id == proposal.id)
        )
    )
    return ProposalStatus(
        id=proposal.id,
        compound=proposal.compound,
        community_code=proposal.community_code,
        category=proposal.category,
        title=proposal.title,
        text=proposal.text,
        state=proposal.state,
        supporters=proposal.supporters,
        threshold=proposal.threshold,
        household_hashes=hashes,
        ticket_no=proposal.ticket_no,
        meeting={"at": local_text(meeting.held_at), "place": meeting.place} if meeting else None,
        decision=proposal.decision,
        raised_at=proposal.raised_at,
        updated_at=proposal.updated_at,
    )


def publish(session: Session, proposal: Proposal, *, now: datetime) -> None:
    session.flush()
    changes.publish(
        session,
        kind=PROPOSAL,
        scope=changes.community_scope(proposal.community_code),
        key=proposal.id,
        payload=status(session, proposal).model_dump(mode="json"),
        now=now,
        supersede=True,
    )


def view(session: Session, proposal: Proposal) -> dict[str, Any]:
    shown = status(session, proposal).model_dump(mode="json")
    shown.pop("household_hashes")
    return shown | {
        "name_masked": proposal.name_masked,
        "has_photo": proposal.photo is not None,
        "decided_by": proposal.decided_by,
    }


def listed(session: Session, communities: list[str], limit: int = 200) -> list[Proposal]:
    return list(
        session.scalars(
            select(Proposal)
            .where(Proposal.community_code.in_(communities))
            .order_by(Proposal.raised_at.desc())
            .limit(limit)
        )
    )


def meetings(session: Session, communities: list[str]) -> list[dict[str, Any]]:
    return [
        {
            "id": m.id,
            "compound": m.compound,
            "held_at": m.held_at.isoformat(),
            "place": m.place,
            "proposals": [
                p.title for p in session.scalars(select(Proposal).where(Proposal.meeting_id == m.id))
            ],
        }
        for m in session.scalars(
            select(CouncilMeeting)
            .where(CouncilMeeting.community_code.in_(communities))
            .order_by(CouncilMeeting.held_at.desc())
            .limit(50)
        )
    ]
