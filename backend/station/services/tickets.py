"""Filing residents' requests at the kiosk, offline-first, and keeping their progress.

A request is checked (category, anonymity, place from the register, ready phrases and text,
phone number, photo), numbered here, and written with its ``ticket.submitted`` outbox event in one
transaction, so it is never lost however long the network is away; its expected reply time comes
from the category, the suggested grade and the working-day calendar. The platform's answers
arrive as changes of kind "ticket" and replace the local status (``apply_status``).
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from backend.shared.errors import AppError
from backend.shared.tickets import errors
from backend.shared.tickets.classify import suggest
from backend.shared.tickets.config import Category, TicketConfig
from backend.shared.tickets.contact import ContactSealer
from backend.shared.tickets.deadlines import reply_due
from backend.shared.tickets.messages import (
    TICKET_SUBMITTED,
    PlaceIn,
    ResidentRef,
    TicketStatus,
    TicketSubmitted,
)
from backend.shared.tickets.numbers import station_ticket_no
from backend.shared.tickets.text import clean_text, mask_phone, normal_phone
from backend.shared.tickets.words import PENDING

from ..db.models import OutboxEvent, Resident
from ..db.session import write_transaction
from ..db.ticket_models import LocalTicket, LocalTicketPhoto, TicketCounter
from . import outbox
from .photos import normalise_jpeg
from .sessions import Identity

log = logging.getLogger(__name__)
FREE_TEXT_MAX = 500  # typed on the kiosk's keyboard; longer belongs at the service desk
DESCRIPTION_MAX = 4000


@dataclass(frozen=True)
class TicketDesk:
    """What filing a ticket here needs: the data, where we are, and how to seal a phone number."""

    config: TicketConfig
    community_code: str
    station_code: str
    sealer: ContactSealer


@dataclass(frozen=True)
class TicketDraft:
    """What the resident chose and typed at the kiosk."""

    category: str
    place: PlaceIn
    idempotency_key: str
    phrases: tuple[str, ...] = ()
    text: str = ""
    phone: str = ""
    confidential: bool = False
    photo: bytes | None = None
    anonymous: bool = False

    def fingerprint(self, identity: Identity | None) -> str:
        body = json.dumps([self.category, self.place.model_dump(), self.phrases, self.text, self.phone,
                           self.confidential, self.anonymous, identity.id_hash if identity else None,
                           hashlib.sha256(self.photo or b"").hexdigest()], ensure_ascii=False)
        return hashlib.sha256(body.encode()).hexdigest()


# ---- what the kiosk offers -----------------------------------------------------------------------

def places(session: Session, desk: TicketDesk) -> dict[str, Any]:
    """The community's buildings and their units (from the register), and the public area's landmarks."""
    rows = session.execute(select(Resident.building, Resident.unit).distinct()).all()
    buildings: dict[str, set[str]] = {}
    for building, unit in rows:
        buildings.setdefault(str(building), set()).add(str(unit))
    landmarks = desk.config.landmarks.get(desk.community_code, [])
    return {"buildings": [{"building": b, "name": {"zh": f"{b}号楼", "en": f"Building {b}"},
                           "units": sorted(u, key=_natural)} for b, u in sorted(buildings.items(),
                                                                              key=lambda i: _natural(i[0]))],
            "public": {"name": {"zh": "公共区域", "en": "Public area"},
                       "landmarks": [{"code": m.code, "name": m.as_dict()} for m in landmarks]}}


def _natural(text: str) -> tuple[int, str]:
    return (int(text), "") if text.isdigit() else (1 << 30, text)


def category_view(category: Category, config: TicketConfig, now: datetime) -> dict[str, Any]:
    """A category as the kiosk's grid shows it, with its ready phrases and usual reply time."""
    due = config.deadline(category.code, category.default_grade)
    return {"code": category.code, "name": category.name.as_dict(), "icon": category.icon,
            "anonymous_allowed": category.anonymous,
            "phrases": [{"code": p.code, "text": p.as_dict()} for p in category.phrases],
            "usual_reply_within": due.words().as_dict()}


# ---- filing ------------------------------------------------------------------------------------------

def submit_ticket(factory: sessionmaker[Session], *, desk: TicketDesk, identity: Identity | None,
                  draft: TicketDraft, now: datetime) -> LocalTicket:
    """File a request (idempotent by the draft's key): the ticket and its outbox event, together."""
    category = _category(desk.config, draft, identity)
    description = _description(category, draft)
    phone = normal_phone(draft.phone) if draft.phone.strip() else ""
    if not phone and not draft.anonymous:
        raise AppError(errors.BAD_PHONE, detail="a phone number is needed to reach you")
    photo = normalise_jpeg(draft.photo) if draft.photo else None
    suggestion = suggest(desk.config, description, chosen=category.code)
    owner = None if draft.anonymous else identity
    with write_transaction(factory) as session:
        existing = _by_key(session, draft, owner)
        if existing is not None:
            return existing
        _check_place(session, desk, draft.place)
        number = _next_number(session, desk, now)
        ticket = LocalTicket(
            ticket_no=number, idempotency_key=draft.idempotency_key, fingerprint=draft.fingerprint(owner),
            filed_here=True, category=category.code, suggested_grade=suggestion.grade,
            place=draft.place.model_dump(), phrases=list(draft.phrases), free_text=draft.text.strip(),
            description=description, phone_sealed=desk.sealer.seal({"phone": phone}) if phone else None,
            phone_masked=mask_phone(phone) if phone else "", confidential=draft.confidential,
            anonymous=owner is None, owner_hash=owner.id_hash if owner else None, submitted_at=now,
            expected_reply_at=reply_due(desk.config, category=category.code, grade=suggestion.grade,
                                        received_at=now),
            state=PENDING, status=None, updated_at=now)
        session.add(ticket)
        if photo:
            session.add(LocalTicketPhoto(ticket_no=number, jpeg=photo, taken_at=now))
        outbox.record(session, event_type=TICKET_SUBMITTED, aggregate_id=number,
                      payload=_event(ticket, owner, photo), at=now)
    return ticket


def _category(config: TicketConfig, draft: TicketDraft, identity: Identity | None) -> Category:
    category = config.category(draft.category)
    if category is None:
        raise AppError(errors.UNKNOWN_CATEGORY, detail=draft.category[:32])
    if (draft.anonymous or identity is None) and not category.anonymous:
        raise AppError(errors.ANONYMOUS_NOT_ALLOWED, detail=category.code)
    return category


def _description(category: Category, draft: TicketDraft) -> str:
    words = []
    for code in draft.phrases:
        phrase = category.phrase(code)
        if phrase is None:
            raise AppError(errors.BAD_PHRASE, detail=code[:32])
        words.append(phrase.zh)
    text = clean_text(draft.text, max_length=FREE_TEXT_MAX, required=False)
    return clean_text("；".join([*words, text] if text else words), max_length=DESCRIPTION_MAX)


def _check_place(session: Session, desk: TicketDesk, place: PlaceIn) -> None:
    if place.kind == "building":
        units = set(session.scalars(select(Resident.unit).where(Resident.building == place.building)))
        if not units or (place.unit and place.unit not in units):
            raise AppError(errors.BAD_PLACE, detail=f"building {place.building[:16]} unit {place.unit[:16]}")
    elif place.kind == "public":
        if place.landmark and desk.config.landmark(desk.community_code, place.landmark) is None:
            raise AppError(errors.BAD_PLACE, detail=place.landmark[:32])
    else:
        raise AppError(errors.BAD_PLACE, detail=place.kind)


def _by_key(session: Session, draft: TicketDraft, owner: Identity | None) -> LocalTicket | None:
    existing = session.scalar(select(LocalTicket).where(LocalTicket.idempotency_key == draft.idempotency_key))
    if existing is not None and existing.fingerprint != draft.fingerprint(owner):
        raise AppError(errors.IDEMPOTENCY_CONFLICT)
    return existing


def _next_number(session: Session, desk: TicketDesk, now: datetime) -> str:
    day = desk.config.calendar.local(now).date()
    counter = session.get(TicketCounter, day.strftime("%Y%m%d"))
    if counter is None:
        counter = TicketCounter(day=day.strftime("%Y%m%d"), value=0)
        session.add(counter)
    counter.value += 1
    return station_ticket_no(day, community_code=desk.community_code, station_code=desk.station_code,
                             seq=counter.value)


def _event(ticket: LocalTicket, owner: Identity | None, photo: bytes | None) -> dict[str, Any]:
    resident = ResidentRef(id_hash=owner.id_hash, id_masked=owner.id_masked, name=owner.name) \
        if owner else None
    message = TicketSubmitted(
        ticket_no=ticket.ticket_no, category=ticket.category, chosen_category=ticket.category,
        suggested_grade=ticket.suggested_grade, place=PlaceIn.model_validate(ticket.place),
        phrases=ticket.phrases, free_text=ticket.free_text, description=ticket.description,
        confidential=ticket.confidential, anonymous=owner is None,
        resident=resident,
        contact_sealed=ticket.phone_sealed, phone_masked=ticket.phone_masked,
        photo_jpeg=base64.b64encode(photo).decode() if photo else None, submitted_at=ticket.submitted_at,
        expected_reply_at=ticket.expected_reply_at)
    return message.model_dump(mode="json")


# ---- progress ------------------------------------------------------------------------------------

def apply_status(session: Session, payload: dict[str, Any], *, now: datetime) -> None:
    """Take the platform's status of a ticket (a change of kind "ticket"), inside the page's transaction."""
    try:
        status = TicketStatus.model_validate(payload)
    except ValidationError:
        # One malformed change must not stop every later one from applying.
        log.warning("ignored a ticket status that is not valid: %s", str(payload.get("ticket_no"))[:40])
        return
    ticket = session.get(LocalTicket, status.ticket_no)
    if ticket is None:  # filed elsewhere in the community: keep it for 进度查询 here too
        first = status.history[0].at if status.history else now
        ticket = LocalTicket(ticket_no=status.ticket_no, idempotency_key=None, filed_here=False,
                             category=status.category, submitted_at=first,
                             expected_reply_at=status.reply_due or now, place={}, phrases=[])
        session.add(ticket)
    ticket.state, ticket.status, ticket.updated_at = status.state, status.model_dump(mode="json"), now
    ticket.owner_hash = status.owner_hash or ticket.owner_hash
    # The platform has the ticket (and its photo) now: keep no copy of the picture here.
    session.execute(delete(LocalTicketPhoto).where(LocalTicketPhoto.ticket_no == status.ticket_no))


def is_sent(session: Session, ticket: LocalTicket) -> bool:
    """Whether the platform has the ticket (its event acknowledged, or its status come back)."""
    if ticket.status is not None or not ticket.filed_here:
        return True
    sent = session.scalar(select(OutboxEvent.sent_at).where(OutboxEvent.event_type == TICKET_SUBMITTED,
                                                           OutboxEvent.aggregate_id == ticket.ticket_no))
    return sent is not None


def owned_by(session: Session, id_hash: str) -> list[LocalTicket]:
    """The identified resident's tickets, newest first."""
    return list(session.scalars(select(LocalTicket).where(LocalTicket.owner_hash == id_hash)
                                .order_by(LocalTicket.submitted_at.desc()).limit(50)))
