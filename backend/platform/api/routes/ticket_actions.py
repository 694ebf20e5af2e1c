"""Residents' requests for staff, acted on: the 12345 workflow (classify, dispatch, sign for, return,
extend, reply, close, call back) and links between duplicates.

Every action answers with the ticket as the console shows it (``allowed_actions`` says what the
user may do next). Refusals are AppErrors with stable codes: ``ticket.transition_refused``,
``ticket.not_signed``, ``ticket.not_yours``, ``ticket.bad_unit``…; every action is written to the
audit log.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from backend.shared.tickets import workflow
from backend.shared.tickets.config import TicketConfig
from backend.shared.tickets.text import clean_text

from ...db.session import write_transaction
from ...runtime import PlatformRuntime
from ...services.auth import Staff
from ...services.tickets import service, views
from ...services.tickets.access import Actor
from ..deps import RuntimeDep, StaffDep
from .ticket_reads import PREFIX, ConfigDep

router = APIRouter(prefix=PREFIX, tags=["tickets"])
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


def _run(runtime: PlatformRuntime, staff: Staff, config: TicketConfig, ticket_no: str,
         command: workflow.Command, note: str) -> dict[str, Any]:
    now = runtime.clock.now()
    note = clean_text(note, max_length=500, required=False)
    with write_transaction(runtime.db) as session:
        actor = Actor.of_staff_in(session, staff)
        ticket = service.act(session, ticket_no=ticket_no, command=command, actor=actor, config=config,
                             now=now, note=note)
        view = views.detail(session, ticket, actor=actor, config=config, now=now)
    runtime.publish([{"type": "ticket.changed", "ticket_no": ticket_no, "state": view["state"],
                      "community": view["community"], "unit": view["assigned_unit"]}])
    return view


@router.post("/{ticket_no}/links", status_code=201)
def link(ticket_no: str, body: LinkBody, staff: StaffDep, runtime: RuntimeDep) -> dict[str, Any]:
    """Link a ticket with a duplicate of it (both must be the user's to coordinate)."""
    now = runtime.clock.now()
    with write_transaction(runtime.db) as session:
        actor = Actor.of_staff_in(session, staff)
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
