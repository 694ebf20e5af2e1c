"""Who may see and do what with a ticket, checked on the server for every request.

    see          staff (not technicians) of a unit at or above the ticket's community, its
                 handling unit or its arbitration unit — a unit's staff see their unit's tickets
    coordinate   classify, dispatch, close, call back, link, reveal the contact: staff at or above
                 the ticket's community (during arbitration: at or above the arbitration unit)
    handle       sign for, return, ask for an extension, reply: staff of the handling unit or above
    approve      decide an extension: staff strictly above the handling unit
Dispatch goes only to a unit within the actor's own subtree that covers the ticket's area.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from backend.shared.errors import FORBIDDEN, AppError
from backend.shared.tickets.errors import BAD_UNIT, NOT_FOUND, NOT_YOUR_TICKET
from backend.shared.tickets.workflow import Action

from ...db.ticket_models import Ticket
from ..auth import Staff
from .tree import TicketTree

TICKET_ROLES = ("staff", "admin")
COORDINATE = frozenset({Action.CLASSIFY, Action.DISPATCH, Action.CLOSE, Action.RATE, Action.LINK})
HANDLE = frozenset({Action.SIGN, Action.RETURN, Action.REQUEST_EXTENSION, Action.REPLY})
APPROVE = frozenset({Action.APPROVE_EXTENSION, Action.REJECT_EXTENSION})


@dataclass(frozen=True)
class Actor:
    """Whoever acts on a ticket: staff, an Open311 client's key, a resident, the system."""

    name: str
    kind: str  # staff, api, resident, system
    unit: str = ""
    unit_path: str = ""
    role: str = ""

    @classmethod
    def of_staff(cls, staff: Staff, tree: TicketTree) -> Actor:
        if staff.role not in TICKET_ROLES:
            raise AppError(FORBIDDEN, detail="tickets")
        return cls(staff.username, "staff", staff.org_code, tree.path(staff.org_code), staff.role)

    @classmethod
    def of_staff_in(cls, session: Session, staff: Staff) -> Actor:
        """The staff member as the ticket rules see them, their unit placed in the session's tree."""
        return cls.of_staff(staff, TicketTree(session))

    @property
    def audited(self) -> bool:
        return self.kind in ("staff", "api")


RESIDENT = Actor("resident", "resident")
SYSTEM = Actor("system", "system")


def can_see(actor: Actor, ticket: Ticket, tree: TicketTree) -> bool:
    if not actor.audited:
        return True
    return any(tree.is_within(code, actor.unit_path)
               for code in (ticket.community_code, ticket.assigned_unit, ticket.arbitration_unit))


def require_visible(actor: Actor, ticket: Ticket | None, tree: TicketTree) -> Ticket:
    """Return the ticket if the actor may see it; others look as if it did not exist."""
    if ticket is None or not can_see(actor, ticket, tree):
        raise AppError(NOT_FOUND)
    return ticket


def coordinating_unit(ticket: Ticket) -> str:
    return ticket.arbitration_unit if ticket.state == "arbitration" and ticket.arbitration_unit \
        else ticket.community_code


def coordinates(actor: Actor, ticket: Ticket, tree: TicketTree) -> bool:
    """Whether the actor's unit coordinates the ticket (its community, or the arbitrating unit):
    may link duplicates, see the resident's phone, close it for an Open311 client."""
    return tree.is_within(coordinating_unit(ticket), actor.unit_path)


def require_allowed(actor: Actor, action: Action, ticket: Ticket, tree: TicketTree) -> None:
    """Refuse an action the actor's unit may not take on this ticket."""
    if not actor.audited:
        return  # residents (rating from a kiosk) and the system are checked by their own paths
    require_visible(actor, ticket, tree)
    if action in COORDINATE:
        allowed = coordinates(actor, ticket, tree)
    elif action in HANDLE:
        allowed = tree.is_within(ticket.assigned_unit, actor.unit_path)
    elif action in APPROVE:
        allowed = tree.is_within(ticket.assigned_unit, actor.unit_path) and ticket.assigned_unit != actor.unit
    else:
        allowed = False
    if not allowed:
        raise AppError(NOT_YOUR_TICKET, detail=action.value)


def check_dispatch_target(actor: Actor, ticket: Ticket, unit_code: str, tree: TicketTree) -> str:
    """Return the level of a unit the ticket may go to; refuse units outside the area or reach."""
    unit = tree.unit(unit_code)
    if unit is None:
        raise AppError(BAD_UNIT, detail=unit_code[:32])
    community_path = tree.path(ticket.community_code)
    if not (community_path.startswith(unit.path) or unit.path.startswith(community_path)):
        raise AppError(BAD_UNIT, detail=f"{unit_code} does not cover the ticket's area")
    if actor.audited and not unit.path.startswith(actor.unit_path):
        raise AppError(FORBIDDEN, detail=f"{unit_code} is outside your unit")
    return unit.level
