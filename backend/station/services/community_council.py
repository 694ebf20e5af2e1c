"""The compound council (小区议事堂) at the kiosk: a resident of a compound raises a proposal or
supports one, once per household (only the household's keyed hash is kept — here and on the
platform); the platform counts, puts it on the agenda at the threshold and opens a ticket; its
status and the council's decision come back as ``proposal`` changes, shown and printable."""

from __future__ import annotations

import base64
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from backend.shared.community.compounds import compound as find_compound
from backend.shared.community.errors import (
    ALREADY_SUPPORTED,
    BAD_PROPOSAL,
    NOT_OF_COMPOUND,
    PROPOSAL_CLOSED,
    PROPOSAL_NOT_FOUND,
)
from backend.shared.community.messages import (
    PROPOSAL_RAISED,
    PROPOSAL_SUPPORTED,
    ProposalRaised,
    ProposalStatus,
    ProposalSupported,
)
from backend.shared.errors import AppError
from backend.shared.privacy import IdProtector
from backend.shared.tickets.config import load_ticket_config
from backend.shared.tickets.text import clean_text

from ..db.community_models import LocalProposal, LocalSupport
from ..db.session import write_transaction
from . import outbox
from .community_residents import Member, masked_name, member
from .photos import normalise_jpeg
from .sessions import Identity

CATEGORIES = (
    "property_repairs",
    "environment_sanitation",
    "public_facilities",
    "safety_hazard",
    "neighbour_dispute",
    "suggestion",
)


def apply_proposal(session: Session, payload: dict[str, Any], *, now: datetime) -> None:
    status = ProposalStatus.model_validate(payload)
    row = session.get(LocalProposal, status.id)
    if row is None:
        row = LocalProposal(id=status.id, compound=status.compound)
        session.add(row)
    row.payload, row.updated_at = status.model_dump(mode="json"), now


def _member_of(
    session: Session, identity: Identity, community_code: str, protector: IdProtector, compound_code: str
) -> Member:
    found = member(session, identity, community_code=community_code, protector=protector)
    if found is None or found.compound is None or found.compound.code != compound_code:
        raise AppError(NOT_OF_COMPOUND)
    return found


def categories() -> list[dict[str, Any]]:
    config = load_ticket_config()
    found = [config.category(code) for code in CATEGORIES]
    return [{"code": c.code, "name": {"zh": c.name.zh, "en": c.name.en}} for c in found if c is not None]


def raise_proposal(
    factory: sessionmaker[Session],
    *,
    identity: Identity,
    community_code: str,
    protector: IdProtector,
    compound_code: str,
    category: str,
    title: str,
    text: str,
    photo: bytes | None,
    now: datetime,
    idempotency_key: str | None = None,
) -> dict[str, Any]:
    """Raise a proposal for the resident's compound; their household supports it from the start.
    The same ``idempotency_key`` (a kiosk's retry) returns the proposal already raised."""
    if category not in CATEGORIES:
        raise AppError(BAD_PROPOSAL, detail="category")
    compound = find_compound(compound_code, community_code)
    try:
        title, text = (
            clean_text(title, max_length=64),
            (clean_text(text, max_length=2000) if text.strip() else ""),
        )
    except AppError as err:
        raise AppError(BAD_PROPOSAL, detail=err.code) from err
    jpeg = normalise_jpeg(photo) if photo else None
    proposal_id = (
        str(uuid.uuid5(uuid.NAMESPACE_URL, f"proposal:{identity.id_hash}:{idempotency_key}"))
        if idempotency_key
        else str(uuid.uuid4())
    )
    with write_transaction(factory) as session:
        found = _member_of(session, identity, community_code, protector, compound.code)
        already = session.get(LocalProposal, proposal_id)
        if already is not None:
            return view(already.payload)
        message = ProposalRaised(
            id=proposal_id,
            compound=compound.code,
            category=category,
            title=title,
            text=text,
            owner_hash=identity.id_hash,
            household_hash=found.household_hash,
            name_masked=masked_name(identity.name),
            photo_jpeg=base64.b64encode(jpeg).decode() if jpeg else None,
            raised_at=now,
        )
        status = ProposalStatus(
            id=message.id,
            compound=compound.code,
            community_code=community_code,
            category=category,
            title=title,
            text=text,
            state="open",
            supporters=1,
            threshold=compound.support_threshold,
            household_hashes=[found.household_hash],
            raised_at=now,
            updated_at=now,
        )
        session.add(
            LocalProposal(
                id=message.id,
                compound=compound.code,
                payload=status.model_dump(mode="json"),
                photo=jpeg,
                updated_at=now,
            )
        )
        session.add(
            LocalSupport(proposal_id=message.id, household_hash=found.household_hash, supported_at=now)
        )
        outbox.record(
            session,
            event_type=PROPOSAL_RAISED,
            aggregate_id=message.id,
            payload=message.model_dump(mode="json"),
            at=now,
        )
        return view(status.model_dump(mode="json"))


def support(
    factory: sessionmaker[Session],
    *,
    identity: Identity,
    community_code: str,
    protector: IdProtector,
    proposal_id: str,
    now: datetime,
) -> dict[str, Any]:
    """Support a proposal of the resident's compound, once per household."""
    with write_transaction(factory) as session:
        row = session.get(LocalProposal, proposal_id)
        if row is None:
            raise AppError(PROPOSAL_NOT_FOUND)
        found = _member_of(session, identity, community_code, protector, row.compound)
        if row.payload["state"] != "open":
            raise AppError(PROPOSAL_CLOSED)
        if (
            found.household_hash in row.payload.get("household_hashes", [])
            or session.get(LocalSupport, (proposal_id, found.household_hash)) is not None
        ):
            raise AppError(ALREADY_SUPPORTED)
        session.add(
            LocalSupport(proposal_id=proposal_id, household_hash=found.household_hash, supported_at=now)
        )
        outbox.record(
            session,
            event_type=PROPOSAL_SUPPORTED,
            aggregate_id=proposal_id,
            payload=ProposalSupported(
                proposal_id=proposal_id, household_hash=found.household_hash, supported_at=now
            ).model_dump(mode="json"),
            at=now,
        )
        payload = dict(row.payload)
        payload["supporters"] = int(payload["supporters"]) + 1
        payload["household_hashes"] = [*payload.get("household_hashes", []), found.household_hash]
        row.payload, row.updated_at = payload, now
        return view(payload)


def listed(session: Session, compound_code: str | None = None) -> list[dict[str, Any]]:
    query = select(LocalProposal).order_by(LocalProposal.updated_at.desc())
    if compound_code:
        query = query.where(LocalProposal.compound == compound_code)
    return [view(r.payload) for r in session.scalars(query)]


def of_household(
    session: Session, identity: Identity, *, community_code: str, protector: IdProtector
) -> dict[str, Any]:
    """The resident's compound and its proposals, each marked ``supported`` when their household
    has supported it (raised it, or supported it here or elsewhere); no compound → none."""
    found = member(session, identity, community_code=community_code, protector=protector)
    if found is None or found.compound is None:
        return {"compound": "", "name": {"zh": "", "en": ""}, "proposals": []}
    ours = set(
        session.scalars(
            select(LocalSupport.proposal_id).where(LocalSupport.household_hash == found.household_hash)
        )
    )
    rows = session.scalars(
        select(LocalProposal)
        .where(LocalProposal.compound == found.compound.code)
        .order_by(LocalProposal.updated_at.desc())
    )
    proposals = [
        view(r.payload)
        | {"supported": r.id in ours or found.household_hash in r.payload.get("household_hashes", [])}
        for r in rows
    ]
    name = {"zh": found.compound.zh, "en": found.compound.en}
    return {"compound": found.compound.code, "name": name, "proposals": proposals}


def get(session: Session, proposal_id: str) -> dict[str, Any]:
    row = session.get(LocalProposal, proposal_id)
    if row is None:
        raise AppError(PROPOSAL_NOT_FOUND)
    return view(row.payload)


STATE_WORDS = {
    "open": ("征集支持中", "Collecting support"),
    "agenda": ("已列入议事议程", "On the council's agenda"),
    "decided": ("议事堂已作出决定", "Decided by the council"),
    "declined": ("议事堂决定不予采纳", "Declined by the council"),
}


def view(payload: dict[str, Any]) -> dict[str, Any]:
    """A proposal as the kiosk shows and prints it (no household hashes)."""
    shown = {k: v for k, v in payload.items() if k != "household_hashes"}
    zh, en = STATE_WORDS.get(payload["state"], (payload["state"], payload["state"]))
    meeting = payload.get("meeting")
    lines = [
        f"编号：{str(payload['id']).split('-')[0].upper()}",  # as the kiosk shows it
        f"议题：{payload['title']}",
        f"状态：{zh}",
        f"支持：{payload['supporters']}/{payload['threshold']} 户",
    ]
    if payload.get("ticket_no"):
        lines.append(f"工单号：{payload['ticket_no']}")
    if meeting:
        lines.append(f"议事会：{meeting['at']} {meeting['place']}")
    if payload.get("decision"):
        lines.append(f"决定：{payload['decision']}")
    return shown | {"state_words": {"zh": zh, "en": en}, "print_lines": lines}
