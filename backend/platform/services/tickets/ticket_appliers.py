"""Station events about tickets and ratings, applied by the platform (registered in
``services.ingest``): ``ticket.submitted`` files the ticket a resident made at the kiosk (maybe
hours ago, offline); ``rating.submitted`` rates a closed ticket or a printed certificate,
anonymously. A station may only file its own numbers and rate services of its community."""

from __future__ import annotations

import base64
import binascii
import logging

from sqlalchemy import select

from backend.shared.errors import AppError
from backend.shared.protocol import OutboxEventIn
from backend.shared.tickets.config import load_ticket_config
from backend.shared.tickets.dispatch import Place
from backend.shared.tickets.messages import (
    RATING_SUBMITTED,
    TICKET_SUBMITTED,
    RatingSubmitted,
    TicketSubmitted,
)
from backend.shared.tickets.numbers import is_ticket_no, source_of
from backend.shared.tickets.text import clean_text
from backend.shared.tickets.workflow import Rate

from ...db.certificate_models import CertificateRecord
from ...db.ticket_models import ServiceRating, Ticket
from ..applier_registry import Appliers, ApplyContext, Rejected, parsed_payload
from .access import RESIDENT, Actor
from .service import NewTicket, act, file_ticket

log = logging.getLogger(__name__)
JPEG_MAGIC = b"\xff\xd8\xff"
ANONYMOUS = Actor("anonymous resident", "resident")


def ticket_submitted(ctx: ApplyContext, event: OutboxEventIn) -> None:
    message = parsed_payload(TicketSubmitted, event)
    existing = ctx.session.get(Ticket, message.ticket_no)
    if existing is not None:
        if existing.station_id != ctx.station.id:
            raise Rejected("ticket number belongs to another station")
        return  # delivered before under another seq: already filed
    new = _checked(ctx, message)
    file_ticket(ctx.session, new=new, actor=ANONYMOUS if message.anonymous else RESIDENT,
                config=load_ticket_config(), now=ctx.now)
    ctx.notes.append({"type": "ticket.new", "ticket_no": new.ticket_no, "station_id": ctx.station.id,
                      "community": new.community_code, "category": new.chosen_category})


def _checked(ctx: ApplyContext, message: TicketSubmitted) -> NewTicket:
    """The ticket as the station says it, checked again: a station is never trusted blindly."""
    area, source = source_of(message.ticket_no) if is_ticket_no(message.ticket_no) else ("", "")
    if (area, source) != (ctx.station.community_code, ctx.station.station_code):
        raise Rejected("ticket number not of this station")
    config = load_ticket_config()
    category = config.category(message.chosen_category)
    if category is None:
        raise Rejected("unknown category")
    if message.anonymous != (message.resident is None) or (message.anonymous and not category.anonymous):
        raise Rejected("anonymous filing not allowed for this category")
    try:
        description = clean_text(message.description, max_length=4000)
    except AppError as err:
        raise Rejected(err.code) from err
    place = message.place
    return NewTicket(
        ticket_no=message.ticket_no, source="station", community_code=ctx.station.community_code,
        chosen_category=category.code, place=Place(place.kind, place.building, place.unit, place.landmark),
        description=description, submitted_at=message.submitted_at, station_id=ctx.station.id,
        phrases=tuple(message.phrases), free_text=message.free_text, confidential=message.confidential,
        anonymous=message.anonymous, resident=message.resident, contact_sealed=message.contact_sealed,
        phone_masked=message.phone_masked, photo=_photo(message))


def _photo(message: TicketSubmitted) -> bytes | None:
    if not message.photo_jpeg:
        return None
    try:
        data = base64.b64decode(message.photo_jpeg, validate=True)
    except (binascii.Error, ValueError):
        data = b""
    if not data.startswith(JPEG_MAGIC):
        # The request matters more than its photo: file it without one.
        log.warning("ticket %s: the photo is not a JPEG; filed without it", message.ticket_no)
        return None
    return data


def rating_submitted(ctx: ApplyContext, event: OutboxEventIn) -> None:
    message = parsed_payload(RatingSubmitted, event)
    if message.target_kind == "ticket":
        _rate_ticket(ctx, message)
    else:
        _rate_certificate(ctx, message)


def _rate_ticket(ctx: ApplyContext, message: RatingSubmitted) -> None:
    ticket = ctx.session.get(Ticket, message.target_id)
    if ticket is None or ticket.community_code != ctx.station.community_code:
        raise Rejected("no such ticket in this station's community")
    command = Rate(message.level, tuple(message.reasons), "kiosk")
    try:
        act(ctx.session, ticket_no=ticket.ticket_no, command=command, actor=RESIDENT,
            config=load_ticket_config(), now=ctx.now)
    except AppError as err:
        raise Rejected(err.code) from err
    ctx.notes.append({"type": "ticket.rated", "ticket_no": ticket.ticket_no, "level": message.level})


def _rate_certificate(ctx: ApplyContext, message: RatingSubmitted) -> None:
    record = ctx.session.get(CertificateRecord, message.target_id)
    if record is None or record.station_id != ctx.station.id:
        raise Rejected("no such certificate of this station")
    reasons = load_ticket_config().policy.ratings.reasons
    if any(r not in reasons for r in message.reasons):
        raise Rejected("unknown rating reason")
    already = ctx.session.scalar(select(ServiceRating.id).where(ServiceRating.target_kind == "certificate",
                                                                ServiceRating.target_id == record.id))
    if already is not None:
        raise Rejected("certificate already rated")
    ctx.session.add(ServiceRating(
        target_kind="certificate", target_id=record.id, station_id=ctx.station.id,
        community_code=record.community_code, category=record.type_code, unit=None, level=message.level,
        reasons=list(message.reasons), follow_up=False, channel="kiosk", rated_at=message.rated_at,
        received_at=ctx.now))


APPLIERS = Appliers({TICKET_SUBMITTED: ticket_submitted, RATING_SUBMITTED: rating_submitted})
