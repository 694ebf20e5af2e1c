"""Residents' requests for staff: the 12345 workflow (classify, dispatch, sign for, return, extend,
reply, close, call back), duplicates and links, the contact, the photo, and figures.

Every action answers with the ticket as the console shows it (``allowed_actions`` says what the
user may do next). A unit's staff see their unit's tickets; others look as if they did not exist
(404). Refusals are AppErrors with stable codes: ``ticket.transition_refused``, ``ticket.not_signed``,
``ticket.not_yours``, ``ticket.bad_unit``…; every action is written to the audit log.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, Field
from sqlalchemy import select

from backend.shared.api_params import Offset
from backend.shared.errors import NOT_FOUND, VALIDATION, AppError
from backend.shared.tickets import workflow
from backend.shared.tickets.config import TicketConfig, load_ticket_config
from backend.shared.tickets.contact import SealError
from backend.shared.tickets.errors import NOT_YOUR_TICKET
from backend.shared.tickets.text import clean_text

from ...db.session import write_transaction
from ...db.ticket_models import Ticket, TicketPhoto
from ...runtime import PlatformRuntime
from ...services import audit, org
from ...services.auth import Staff
from ...services.tickets import service, views
from ...services.tickets.access import Actor, coordinating_unit
from ...services.tickets.figures import duplicates_of, service_ratings, ticket_figures, visible
from ...services.tickets.tree import TicketTree
from ..deps import RuntimeDep, StaffDep

router = APIRouter(prefix="/api/staff/tickets", tags=["tickets"])


def get_ticket_config() -> TicketConfig:
    return load_ticket_config()


ConfigDep = Annotated[TicketConfig, Depends(get_ticket_config)]
Note = Field("", max_length=500)


class ClassifyBody(BaseModel):
    category: str = Field(max_length=32)
    grade: Literal["urgent", "normal", "complex"]
    note: str = Note


class DispatchBody(BaseModel):
    unit: str = Field(max_length=32)
    role: str = Field(max_length=32)
    note: str = Note


class NoteBody(BaseModel):
    note: str = Note


class ReturnBody(BaseModel):
    reason: str = Field(max_length=32)
    note: str = Note


class ExtensionBody(BaseModel):
    working_days: int = Field(ge=1, le=60)
    reason: str = Field(min_length=1, max_length=500)


class ReplyBody(BaseModel):
    text: str = Field(min_length=1, max_length=2000)


class CloseBody(BaseModel):
    outcome: Literal["resolved", "unresolved"]
    reason: str | None = Field(None, max_length=32)
    note: str = Note


class CallbackBody(BaseModel):
    level: int = Field(ge=1, le=5)
    reasons: list[str] = Field(default_factory=list, max_length=10)
    note: str = Note


class LinkBody(BaseModel):
    other: str = Field(max_length=40)


def _actor(session: Any, staff: Staff) -> Actor:
    return Actor.of_staff(staff, TicketTree(session))


def _run(runtime: PlatformRuntime, staff: Staff, config: TicketConfig, ticket_no: str,
         command: workflow.Command, note: str) -> dict[str, Any]:
    now = runtime.clock.now()
    note = clean_text(note, max_length=500, required=False)
    with write_transaction(runtime.db) as session:
        actor = _actor(session, staff)
        ticket = service.act(session, ticket_no=ticket_no, command=command, actor=actor, config=config,
                             now=now, note=note)
        view = views.detail(session, ticket, actor=actor, config=config, now=now)
    runtime.publish([{"type": "ticket.changed", "ticket_no": ticket_no, "state": view["state"],
                      "community": view["community"], "unit": view["assigned_unit"]}])
    return view


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
        query = visible(select(Ticket), _actor(session, staff), tree)
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
        return ticket_figures(session, actor=_actor(session, staff), by=by, since=since, until=until,
                              config=config, now=now, category=category)


@router.get("/service-ratings")
def other_service_ratings(staff: StaffDep, runtime: RuntimeDep, config: ConfigDep,
                          since: datetime | None = None,
                          until: datetime | None = None) -> list[dict[str, Any]]:
    """Satisfaction with certificates (and other services) per station, type and month."""
    until = until or runtime.clock.now()
    since = since or until - timedelta(days=365)
    with runtime.db() as session:
        _actor(session, staff)
        communities = org.communities_under(session, staff.org_code)
        return service_ratings(session, communities=communities, since=since, until=until, config=config)


@router.get("/{ticket_no}")
def get_ticket(ticket_no: str, staff: StaffDep, runtime: RuntimeDep, config: ConfigDep) -> dict[str, Any]:
    """One ticket: facts, suggestions, deadlines, history, links, and what the user may do."""
    with runtime.db() as session:
        actor = _actor(session, staff)
        ticket = service.visible_ticket(session, ticket_no, actor)
        return views.detail(session, ticket, actor=actor, config=config, now=runtime.clock.now())


@router.get("/{ticket_no}/photo", response_class=Response)
def photo(ticket_no: str, staff: StaffDep, runtime: RuntimeDep) -> Response:
    """The photo taken at the kiosk (JPEG)."""
    with runtime.db() as session:
        service.visible_ticket(session, ticket_no, _actor(session, staff))
        found = session.get(TicketPhoto, ticket_no)
    if found is None:
        raise AppError(NOT_FOUND, detail="this ticket has no photo")
    return Response(found.jpeg, media_type="image/jpeg", headers={"Cache-Control": "private, no-store"})


@router.get("/{ticket_no}/contact")
def contact(ticket_no: str, staff: StaffDep, runtime: RuntimeDep) -> dict[str, Any]:
    """Reveal the resident's phone number to call back (coordinating units only; audited)."""
    now = runtime.clock.now()
    with write_transaction(runtime.db) as session:
        actor = _actor(session, staff)
        tree = TicketTree(session)
        ticket = service.visible_ticket(session, ticket_no, actor)
        if not tree.is_within(coordinating_unit(ticket), actor.unit_path):
            raise AppError(NOT_YOUR_TICKET, detail="contact")
        audit.record(session, actor=actor.name, action="ticket.contact_revealed",
                     target=f"ticket:{ticket_no}", at=now)
        sealed = ticket.contact_sealed
    if not sealed:
        return {"ticket_no": ticket_no, "contact": None}
    try:
        opened = runtime.contact.open(sealed)
    except SealError as err:
        raise AppError(VALIDATION, detail="the contact cannot be opened") from err
    return {"ticket_no": ticket_no, "contact": opened}


@router.get("/{ticket_no}/duplicates")
def duplicates(ticket_no: str, staff: StaffDep, runtime: RuntimeDep,
               config: ConfigDep) -> list[dict[str, Any]]:
    """Tickets that may be about the same thing: same category and place within a few days."""
    with runtime.db() as session:
        actor = _actor(session, staff)
        ticket = service.visible_ticket(session, ticket_no, actor)
        return duplicates_of(session, ticket, actor=actor, config=config, now=runtime.clock.now())


@router.post("/{ticket_no}/links", status_code=201)
def link(ticket_no: str, body: LinkBody, staff: StaffDep, runtime: RuntimeDep) -> dict[str, Any]:
    """Link a ticket with a duplicate of it (both must be the user's to coordinate)."""
    now = runtime.clock.now()
    with write_transaction(runtime.db) as session:
        actor = _actor(session, staff)
        service.link(session, ticket_no=ticket_no, other_no=body.other, actor=actor, now=now)
        return {"ticket_no": ticket_no, "linked": service.linked(session, ticket_no)}


@router.post("/{ticket_no}/classify")
def classify(ticket_no: str, body: ClassifyBody, staff: StaffDep, runtime: RuntimeDep,
             config: ConfigDep) -> dict[str, Any]:
    """Confirm or change the category and grade (分类分级); the reply deadline follows."""
    return _run(runtime, staff, config, ticket_no, workflow.Classify(body.category, body.grade), body.note)


@router.post("/{ticket_no}/dispatch")
def dispatch(ticket_no: str, body: DispatchBody, staff: StaffDep, runtime: RuntimeDep,
             config: ConfigDep) -> dict[str, Any]:
    """Send the ticket to a unit (its level follows from the unit) and a handler role (派单)."""
    command = workflow.Dispatch(body.unit, "", body.role)
    return _run(runtime, staff, config, ticket_no, command, body.note)


@router.post("/{ticket_no}/sign")
def sign(ticket_no: str, body: NoteBody, staff: StaffDep, runtime: RuntimeDep,
         config: ConfigDep) -> dict[str, Any]:
    """Sign for a ticket dispatched to the user's unit (签收)."""
    return _run(runtime, staff, config, ticket_no, workflow.Sign(), body.note)


@router.post("/{ticket_no}/return")
def return_(ticket_no: str, body: ReturnBody, staff: StaffDep, runtime: RuntimeDep,
            config: ConfigDep) -> dict[str, Any]:
    """Return a ticket that is not the unit's (退单): not_our_area, not_our_duty, ownership_unclear."""
    return _run(runtime, staff, config, ticket_no, workflow.Return(body.reason), body.note)


@router.post("/{ticket_no}/extension")
def request_extension(ticket_no: str, body: ExtensionBody, staff: StaffDep, runtime: RuntimeDep,
                      config: ConfigDep) -> dict[str, Any]:
    """Ask the level above for more working days (延期申请)."""
    command = workflow.RequestExtension(body.working_days, body.reason)
    return _run(runtime, staff, config, ticket_no, command, "")


@router.post("/{ticket_no}/extension/approve")
def approve_extension(ticket_no: str, body: NoteBody, staff: StaffDep, runtime: RuntimeDep,
                      config: ConfigDep) -> dict[str, Any]:
    """Grant the pending extension (units above the handling unit only)."""
    return _run(runtime, staff, config, ticket_no, workflow.DecideExtension(True), body.note)


@router.post("/{ticket_no}/extension/reject")
def reject_extension(ticket_no: str, body: NoteBody, staff: StaffDep, runtime: RuntimeDep,
                     config: ConfigDep) -> dict[str, Any]:
    """Refuse the pending extension."""
    return _run(runtime, staff, config, ticket_no, workflow.DecideExtension(False), body.note)


@router.post("/{ticket_no}/reply")
def reply(ticket_no: str, body: ReplyBody, staff: StaffDep, runtime: RuntimeDep,
          config: ConfigDep) -> dict[str, Any]:
    """Reply to the resident (答复); the text is shown to the resident as written."""
    return _run(runtime, staff, config, ticket_no, workflow.Reply(body.text), "")


@router.post("/{ticket_no}/close")
def close(ticket_no: str, body: CloseBody, staff: StaffDep, runtime: RuntimeDep,
          config: ConfigDep) -> dict[str, Any]:
    """Close a replied ticket (办结) as resolved or unresolved (with a reason)."""
    return _run(runtime, staff, config, ticket_no, workflow.Close(body.outcome, body.reason), body.note)


@router.post("/{ticket_no}/callback")
def callback(ticket_no: str, body: CallbackBody, staff: StaffDep, runtime: RuntimeDep,
             config: ConfigDep) -> dict[str, Any]:
    """Record the rating a resident gave on a call-back (回访); it counts like a kiosk rating."""
    command = workflow.Rate(body.level, tuple(body.reasons), "callback")
    return _run(runtime, staff, config, ticket_no, command, body.note)
