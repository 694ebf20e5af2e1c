"""The resident's phone number behind a ticket: revealed only to the units coordinating the ticket
(``access.coordinates``, the rule for linking duplicates too), each reveal written to the audit log,
and opened from what the station sealed to the platform's key."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from backend.shared.errors import VALIDATION, AppError
from backend.shared.tickets.contact import ContactOpener, SealError
from backend.shared.tickets.errors import NOT_YOUR_TICKET

from .. import audit
from .access import Actor, coordinates
from .service import visible_ticket
from .tree import TicketTree


def reveal(session: Session, *, ticket_no: str, actor: Actor, now: datetime) -> str | None:
    """The sealed contact of a ticket the actor coordinates; the reveal is audited (in the caller's
    transaction). A ticket the actor may not see is not found; one it does not coordinate, refused."""
    tree = TicketTree(session)
    ticket = visible_ticket(session, ticket_no, actor)
    if not coordinates(actor, ticket, tree):
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
