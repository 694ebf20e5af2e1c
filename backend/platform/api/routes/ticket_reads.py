"""Residents' requests for staff, read: the list, one ticket, its photo, the resident's contact
(revealed to coordinating units, audited), likely duplicates, and figures. The workflow actions are
in ``ticket_actions``; both share the prefix and the rule that a unit's staff see their unit's
tickets while others look as if they did not exist (404).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Response
from sqlalchemy import select

from backend.shared.api_params import Offset
from backend.shared.errors import NOT_FOUND, VALIDATION, AppError
from backend.shared.tickets.config import TicketConfig, load_ticket_config

from ...db.session import write_transaction
from ...db.ticket_models import Ticket, TicketPhoto
from ...services import org
from ...services.tickets import resident_contact, service, views
from ...services.tickets.access import Actor
from ...services.tickets.figures import duplicates_of, service_ratings, ticket_figures, visible
from ...services.tickets.tree import TicketTree
from ..deps import RuntimeDep, StaffDep

PREFIX = "/api/staff/tickets"
router = APIRouter(prefix=PREFIX, tags=["tickets"])


def get_ticket_config() -> TicketConfig:
    return load_ticket_config()


ConfigDep = Annotated[TicketConfig, Depends(get_ticket_config)]


@router.get("")
def list_tickets(staff: StaffDep, runtime: RuntimeDep, config: ConfigDep,
                 state: str | None = Query(None, max_length=16),
                 category: str | None = Query(None, max_length=32),
                 unit: str | None = Query(None, max_length=32), overdue: bool = False,
                 limit: int = Query(100, ge=1, le=1000),
                 offset: Offset = 0) -> list[dict[str, Any]]:
    """List the tickets the user's unit may see, newest first, with their running deadline."""
    now = runtime.clock.now()
    with runtime.db() as session:
        tree = TicketTree(session)
        query = visible(select(Ticket), Actor.of_staff_in(session, staff), tree)
        for column, value in ((Ticket.state, state), (Ticket.category, category),
                              (Ticket.assigned_unit, unit)):
            if value:
                query = query.where(column == value)
        rows = session.scalars(query.order_by(Ticket.received_at.desc()).offset(offset).limit(limit))
        items = [views.list_item(t, tree=tree, config=config, now=now) for t in rows]
    return [i for i in items if not overdue or (i["deadline"] or {}).get("overdue")]


@router.get("/figures")
def figures(staff: StaffDep, runtime: RuntimeDep, config: ConfigDep,
            by: Literal["unit", "category", "month"] = "unit", since: datetime | None = None,
            until: datetime | None = None,
            category: str | None = Query(None, max_length=32)) -> dict[str, Any]:
    """Response, resolution, on-time and satisfaction rates, time to sign for, returns per ticket."""
    now = runtime.clock.now()
    until = until or now
    since = since or until - timedelta(days=365)
    if since.tzinfo is None or until.tzinfo is None:
        raise AppError(VALIDATION, detail="since and until need a time zone")
    with runtime.db() as session:
        return ticket_figures(session, actor=Actor.of_staff_in(session, staff), by=by, since=since,
                              until=until, config=config, now=now, category=category)


@router.get("/service-ratings")
def other_service_ratings(staff: StaffDep, runtime: RuntimeDep, config: ConfigDep,
                          since: datetime | None = None,
                          until: datetime | None = None) -> list[dict[str, Any]]:
    """Satisfaction with certificates (and other services) per station, type and month."""
    until = until or runtime.clock.now()
    since = since or until - timedelta(days=365)
    with runtime.db() as session:
        Actor.of_staff_in(session, staff)
        communities = org.communities_under(session, staff.org_code)
        return service_ratings(session, communities=communities, since=since, until=until, config=config)


@router.get("/{ticket_no}")
def get_ticket(ticket_no: str, staff: StaffDep, runtime: RuntimeDep, config: ConfigDep) -> dict[str, Any]:
    """One ticket: facts, suggestions, deadlines, history, links, and what the user may do."""
    with runtime.db() as session:
        actor = Actor.of_staff_in(session, staff)
        ticket = service.visible_ticket(session, ticket_no, actor)
        return views.detail(session, ticket, actor=actor, config=config, now=runtime.clock.now())


@router.get("/{ticket_no}/photo", response_class=Response)
def photo(ticket_no: str, staff: StaffDep, runtime: RuntimeDep) -> Response:
    """The photo taken at the kiosk (JPEG)."""
    with runtime.db() as session:
        service.visible_ticket(session, ticket_no, Actor.of_staff_in(session, staff))
        found = session.get(TicketPhoto, ticket_no)
    if found is None:
        raise AppError(NOT_FOUND, detail="this ticket has no photo")
    return Response(found.jpeg, media_type="image/jpeg", headers={"Cache-Control": "private, no-store"})


@router.get("/{ticket_no}/contact")
def contact(ticket_no: str, staff: StaffDep, runtime: RuntimeDep) -> dict[str, Any]:
    """Reveal the resident's phone number to call back (coordinating units only; audited)."""
    now = runtime.clock.now()
    with write_transaction(runtime.db) as session:
        actor = Actor.of_staff_in(session, staff)
        sealed = resident_contact.reveal(session, ticket_no=ticket_no, actor=actor, now=now)
    return {"ticket_no": ticket_no, "contact": resident_contact.unseal(runtime.contact, sealed)}


@router.get("/{ticket_no}/duplicates")
def duplicates(ticket_no: str, staff: StaffDep, runtime: RuntimeDep,
               config: ConfigDep) -> list[dict[str, Any]]:
    """Tickets that may be about the same thing: same category and place within a few days."""
    with runtime.db() as session:
        actor = Actor.of_staff_in(session, staff)
        ticket = service.visible_ticket(session, ticket_no, actor)
        return duplicates_of(session, ticket, actor=actor, config=config, now=runtime.clock.now())
