"""The resident's phone number behind a ticket: who may see it (the units coordinating the ticket,
the same rule as for linking duplicates), revealing it (written to the audit log), and opening
what the station sealed to the platform's key."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from backend.shared.errors import VALIDATION, AppError
from backend.shared.tickets.contact import ContactOpener, SealError
from backend.shared.tickets.errors import NOT_YOUR_TICKET

from ...db.ticket_models import Ticket
from .. import audit
from .access import Actor, coordinating_unit
from .service import visible_ticket
from .tree import TicketTree


def coordinates(ticket: Ticket, actor: Actor, tree: TicketTree) -> bool:
    """Whether the actor's unit coordinates the ticket: may see the resident's phone and link
    duplicates."""
    return tree.is_within(coordinating_unit(ticket), actor.unit_path)


def reveal(session: Session, *, ticket_no: str, actor: Actor, now: datetime) -> str | None:
    """The sealed contact of a ticket the actor coordinates; the reveal is audited (in the caller's
    transaction). A ticket the actor may not see is not found; one it does not coordinate, refused."""
    tree = TicketTree(session)
    ticket = visible_ticket(session, ticket_no, actor)
    if not coordinates(ticket, actor, tree):
        raise AppError(NOT_YOUR_TICKET, detail="contact")
    audit.record(session, actor=actor.name, action="ticket.contact_revealed", target=f"ticket:{ticket_no}",
                 at=now)
    return ticket.contact_sealed


def unseal(opener: ContactOpener, sealed: str | None) -> dict[str, Any] | None:
    """The contact as the resident gave it (None when there is none)."""
    if not sealed:
        return None
    try:
        return opener.open(sealed)
    except SealError as err:
        raise AppError(VALIDATION, detail="the contact cannot be opened") from err
