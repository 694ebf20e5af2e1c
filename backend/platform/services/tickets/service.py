"""Tickets on the platform: filing one, and running workflow commands on it.

Every command runs inside the caller's transaction: the ticket row is locked, the pure workflow
(``backend.shared.tickets.workflow``) decides, and the new state, its transition record (who, unit,
when, note), the audit entry, an anonymous rating and the change for the community's stations are
written together — or, on any refusal, nothing is.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend.shared.errors import AppError
from backend.shared.protocol import ChangeKind
from backend.shared.tickets import workflow
from backend.shared.tickets.classify import suggest
from backend.shared.tickets.config import TicketConfig
from backend.shared.tickets.dispatch import Place
from backend.shared.tickets.errors import ALREADY_LINKED, NOT_FOUND
from backend.shared.tickets.messages import HistoryEntry, ResidentRef, TicketStatus
from backend.shared.tickets.numbers import platform_ticket_no
from backend.shared.tickets.words import history_words, state_words
from backend.shared.tickets.workflow import Action, Command, Rate, Record, State, TicketSnapshot

from ...db.ticket_models import (
    ServiceRating,
    Ticket,
    TicketCounter,
    TicketLink,
    TicketPhoto,
    TicketTransition,
)
from .. import audit, changes
from .access import Actor, check_dispatch_target, require_allowed, require_visible
from .tree import TicketTree


@dataclass(frozen=True)
class NewTicket:
    """A ticket as it arrives from a station or an Open311 client, already checked."""

    ticket_no: str
    source: str  # station, open311
    community_code: str
    chosen_category: str
    place: Place
    description: str
    submitted_at: datetime
    station_id: str | None = None
    phrases: tuple[str, ...] = ()
    free_text: str = ""
    confidential: bool = False
    anonymous: bool = False
    resident: ResidentRef | None = None
    contact_sealed: str | None = None
    phone_masked: str = ""
    photo: bytes | None = None
    lat: float | None = None
    lon: float | None = None
    with_token: bool = False  # Open311: also give a token to look it up by


def snapshot_of(ticket: Ticket) -> TicketSnapshot:
    values: dict[str, Any] = {name: getattr(ticket, name) for name in workflow.FIELDS}
    values["state"] = State(ticket.state)
    values["escalation"] = dict(ticket.escalation or {})
    return TicketSnapshot(**values)


def _store(ticket: Ticket, snapshot: TicketSnapshot) -> None:
    for name in workflow.FIELDS:
        value = getattr(snapshot, name)
        setattr(ticket, name, value.value if isinstance(value, State) else value)


def file_ticket(session: Session, *, new: NewTicket, actor: Actor, config: TicketConfig,
                now: datetime) -> Ticket:
    """Record a new ticket, received, with a suggested category and grade; tell its stations."""
    suggestion = suggest(config, new.description, chosen=new.chosen_category)
    received_at = min(new.submitted_at, now)  # a station's clock may run fast; never the future
    first = workflow.submitted(category=new.chosen_category, received_at=received_at,
                               grade=suggestion.grade, config=config)
    ticket = _new_row(new, suggestion.as_dict(), now)
    _store(ticket, first.after)
    session.add(ticket)
    if new.photo:
        session.add(TicketPhoto(ticket_no=new.ticket_no, jpeg=new.photo, received_at=now))
    session.flush()
    tree = TicketTree(session)
    _record(session, ticket, first.record, actor=actor, note="", tree=tree, config=config)
    publish_status(session, ticket, tree=tree, now=now)
    return ticket


def _new_row(new: NewTicket, suggestion: dict[str, Any], now: datetime) -> Ticket:
    resident = new.resident
    return Ticket(
        ticket_no=new.ticket_no, source=new.source, station_id=new.station_id,
        community_code=new.community_code, category=new.chosen_category,
        chosen_category=new.chosen_category, suggestion=suggestion, place_kind=new.place.kind,
        building=new.place.building, unit_no=new.place.unit, landmark=new.place.landmark,
        lat=new.lat, lon=new.lon, description=new.description, phrases=list(new.phrases),
        free_text=new.free_text, confidential=new.confidential, anonymous=new.anonymous,
        resident_id_hash=resident.id_hash if resident else None,
        resident_id_masked=resident.id_masked if resident else "",
        resident_name=resident.name if resident else "", contact_sealed=new.contact_sealed,
        phone_masked=new.phone_masked, has_photo=bool(new.photo),
        open311_token=secrets.token_hex(16) if new.with_token else None,
        submitted_at=new.submitted_at, updated_at=now)


def locked(session: Session, ticket_no: str) -> Ticket:
    """Return a ticket locked for the rest of the transaction, or raise ticket.not_found."""
    ticket = session.scalar(select(Ticket).where(Ticket.ticket_no == ticket_no).with_for_update())
    if ticket is None:
        raise AppError(NOT_FOUND)
    return ticket


def act(session: Session, *, ticket_no: str, command: Command, actor: Actor, config: TicketConfig,
        now: datetime, note: str = "") -> Ticket:
    """Run a workflow command on a ticket as ``actor``; raise AppError and change nothing if refused."""
    tree = TicketTree(session)
    ticket = locked(session, ticket_no)
    action = workflow.action_of(command)
    require_visible(actor, ticket, tree)
    workflow.check_allowed(action, State(ticket.state))  # what is impossible, before who may
    require_allowed(actor, action, ticket, tree)
    command = _completed(command, actor, ticket, tree)
    result = workflow.step(snapshot_of(ticket), command, config=config, now=now)
    _store(ticket, result.after)
    ticket.updated_at = now
    _record(session, ticket, result.record, actor=actor, note=note, tree=tree, config=config)
    if isinstance(command, Rate):
        _rating(session, ticket, command, result.record, now)
    if result.record.action is not Action.ESCALATE:
        publish_status(session, ticket, tree=tree, now=now)
    return ticket


def _completed(command: Command, actor: Actor, ticket: Ticket, tree: TicketTree) -> Command:
    """Fill in what only the org tree knows: the target's level, the arbitration unit."""
    if isinstance(command, workflow.Dispatch):
        return replace(command, level=check_dispatch_target(actor, ticket, command.unit, tree))
    if isinstance(command, workflow.Return):
        return replace(command, arbitration_unit=tree.parent(ticket.assigned_unit) or ticket.assigned_unit)
    return command


def _record(session: Session, ticket: Ticket, record: Record, *, actor: Actor, note: str,
            tree: TicketTree, config: TicketConfig) -> TicketTransition:
    words = history_words(record.action.value, record.detail, config=config, unit_name=tree.name)
    row = TicketTransition(ticket_no=ticket.ticket_no, action=record.action.value,
                           from_state=record.from_state.value if record.from_state else None,
                           to_state=record.to_state.value, actor=actor.name[:64], actor_unit=actor.unit,
                           at=record.at, note=note, detail=record.detail, words=words)
    session.add(row)
    if actor.audited:
        audit.record(session, actor=actor.name, action=f"ticket.{record.action.value}",
                     target=f"ticket:{ticket.ticket_no}", at=record.at,
                     detail={"from": row.from_state, "to": row.to_state, "unit": actor.unit})
    return row


def _rating(session: Session, ticket: Ticket, command: Rate, record: Record, now: datetime) -> None:
    # Anonymous to the handlers: the rating names the ticket, its unit and category, never who rated.
    session.add(ServiceRating(
        target_kind="ticket", target_id=ticket.ticket_no, station_id=ticket.station_id,
        community_code=ticket.community_code, category=ticket.category,
        unit=ticket.assigned_unit, level=command.level, reasons=list(command.reasons),
        follow_up=bool(record.detail.get("follow_up")), channel=command.channel, rated_at=record.at,
        received_at=now))


def history(session: Session, ticket_no: str, *, public: bool) -> list[TicketTransition]:
    """A ticket's transitions, oldest first; public: only those residents see."""
    query = select(TicketTransition).where(TicketTransition.ticket_no == ticket_no)
    if public:
        query = query.where(TicketTransition.words.is_not(None))
    return list(session.scalars(query.order_by(TicketTransition.id)))


def status_of(session: Session, ticket: Ticket, now: datetime) -> TicketStatus:
    """What a station shows of a ticket: state and history in plain words."""
    entries = [HistoryEntry(at=t.at, action=t.action, state=t.to_state, words=t.words or {})
               for t in history(session, ticket.ticket_no, public=True)]
    return TicketStatus(ticket_no=ticket.ticket_no, state=ticket.state,
                        status_words=state_words(ticket.state), category=ticket.category,
                        grade=ticket.grade, closure=ticket.closure,
                        reply_due=ticket.reply_due, rectify_due=ticket.rectify_due,
                        can_rate=ticket.state == State.CLOSED.value,
                        follow_up=ticket.reopened_at is not None, owner_hash=ticket.resident_id_hash,
                        history=entries, updated_at=now)


def publish_status(session: Session, ticket: Ticket, *, tree: TicketTree, now: datetime) -> None:
    """Send the ticket's status to the stations of its community (change kind "ticket")."""
    session.flush()
    payload = status_of(session, ticket, now).model_dump(mode="json")
    # Each status is whole: it supersedes the ticket's earlier ones (a station behind gets the latest).
    changes.publish(session, kind=ChangeKind.TICKET, scope=changes.community_scope(ticket.community_code),
                    key=ticket.ticket_no, payload=payload, now=now, supersede=True)


def link(session: Session, *, ticket_no: str, other_no: str, actor: Actor, now: datetime) -> None:
    """Link two tickets staff judge to be about the same thing (both must be theirs to coordinate)."""
    tree = TicketTree(session)
    first, second = sorted((ticket_no, other_no))
    for number in (first, second):
        require_allowed(actor, Action.LINK, locked(session, number), tree)
    if first == second or session.scalar(select(TicketLink).where(TicketLink.first_no == first,
                                                                  TicketLink.second_no == second)):
        raise AppError(ALREADY_LINKED, detail=f"{first} {second}")
    session.add(TicketLink(first_no=first, second_no=second, linked_by=actor.name, at=now))
    for number, other in ((first, second), (second, first)):
        ticket = session.get(Ticket, number)
        assert ticket is not None
        session.add(TicketTransition(ticket_no=number, action=Action.LINK.value, from_state=ticket.state,
                                     to_state=ticket.state, actor=actor.name, actor_unit=actor.unit, at=now,
                                     note="", detail={"other": other}, words=None))
    audit.record(session, actor=actor.name, action="ticket.link", target=f"ticket:{first}", at=now,
                 detail={"other": second})


def comment(session: Session, *, ticket_no: str, text: str, actor: Actor, now: datetime) -> None:
    """Add a public note without changing the state (the handling or coordinating units only)."""
    tree = TicketTree(session)
    ticket = locked(session, ticket_no)
    try:
        require_allowed(actor, Action.REPLY, ticket, tree)
    except AppError:
        require_allowed(actor, Action.CLASSIFY, ticket, tree)
    session.add(TicketTransition(ticket_no=ticket_no, action="comment", from_state=ticket.state,
                                 to_state=ticket.state, actor=actor.name[:64], actor_unit=actor.unit, at=now,
                                 note=text, detail={}, words={"zh": text, "en": text}))
    ticket.updated_at = now
    if actor.audited:
        audit.record(session, actor=actor.name, action="ticket.comment", target=f"ticket:{ticket_no}", at=now)
    publish_status(session, ticket, tree=tree, now=now)


def linked(session: Session, ticket_no: str) -> list[str]:
    rows = session.execute(select(TicketLink.first_no, TicketLink.second_no).where(
        (TicketLink.first_no == ticket_no) | (TicketLink.second_no == ticket_no))).all()
    return sorted({a if b == ticket_no else b for a, b in rows})


def visible_ticket(session: Session, ticket_no: str, actor: Actor) -> Ticket:
    return require_visible(actor, session.get(Ticket, ticket_no), TicketTree(session))


def next_platform_ticket_no(session: Session, *, district_code: str, day_key: str) -> str:
    """Allocate the next number of the day for a ticket filed on the platform."""
    value = session.execute(update(TicketCounter).where(TicketCounter.day == day_key)
                            .values(value=TicketCounter.value + 1).returning(TicketCounter.value)
                            ).scalar_one_or_none()
    if value is None:
        try:
            with session.begin_nested():
                session.add(TicketCounter(day=day_key, value=1))
            value = 1
        except IntegrityError:  # another worker started the day first
            return next_platform_ticket_no(session, district_code=district_code, day_key=day_key)
    return platform_ticket_no(datetime.strptime(day_key, "%Y%m%d").date(), district_code=district_code,
                              seq=int(value))
