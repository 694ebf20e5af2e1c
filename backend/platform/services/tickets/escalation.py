"""The deadline sweep: for every open ticket whose running deadline reached a new stage — warning,
reminder (催办), supervision (督办), report to the level above (上报) — record the escalation
once, as the system, and tell the staff console. Each ticket is its own short transaction, so
several workers sweeping at once escalate a ticket once (the row lock and the workflow's "only
forward" rule see to it)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from backend.shared.errors import AppError
from backend.shared.tickets.config import TicketConfig
from backend.shared.tickets.deadlines import Stage, stage_at
from backend.shared.tickets.workflow import OPEN_STATES, Escalate, current_deadline

from ...db.session import write_transaction
from ...db.ticket_models import Ticket
from ..notify import outbox
from .access import SYSTEM
from .service import act, snapshot_of
from .tree import TicketTree

log = logging.getLogger(__name__)
# A deadline further away than this cannot be in its warning quarter yet (15 working days over
# the Spring Festival is under 30 calendar days; a quarter of it under 8).
LOOKAHEAD = timedelta(days=10)


def due_soon(session: Session, now: datetime) -> list[str]:
    """Open tickets with a deadline within the look-ahead (or past)."""
    horizon = now + LOOKAHEAD
    query = select(Ticket.ticket_no).where(
        Ticket.state.in_([s.value for s in OPEN_STATES]),
        or_(Ticket.reply_due <= horizon, Ticket.sign_due <= horizon, Ticket.rectify_due <= horizon))
    return list(session.scalars(query.order_by(Ticket.ticket_no)))


def pending_escalation(ticket: Ticket, config: TicketConfig, now: datetime) -> Escalate | None:
    """The escalation a ticket is owed now, if any."""
    running = current_deadline(snapshot_of(ticket))
    if running is None:
        return None
    kind, start, due = running
    stage = stage_at(config, start=start, due=due, grade=ticket.grade, now=now)
    if stage <= (ticket.escalation or {}).get(kind, 0):
        return None
    return Escalate(kind, stage)


def sweep(factory: sessionmaker[Session], *, config: TicketConfig, now: datetime) -> list[dict[str, Any]]:
    """Escalate what is due; return live notes for the staff console."""
    with factory() as session:
        numbers = due_soon(session, now)
    notes: list[dict[str, Any]] = []
    for number in numbers:
        try:
            with write_transaction(factory) as session:
                note = _escalate_one(session, number, config, now)
        except AppError:  # another worker got there first, or the ticket moved on
            continue
        if note:
            notes.append(note)
    return notes


def _escalate_one(session: Session, number: str, config: TicketConfig,
                  now: datetime) -> dict[str, Any] | None:
    ticket = session.get(Ticket, number, with_for_update=True)
    if ticket is None:
        return None
    command = pending_escalation(ticket, config, now)
    if command is None:
        return None
    if command.stage is Stage.REPORT:
        tree = TicketTree(session)
        below = ticket.assigned_unit or ticket.arbitration_unit or ticket.community_code
        command = Escalate(command.kind, command.stage, tree.parent(below))
    act(session, ticket_no=number, command=command, actor=SYSTEM, config=config, now=now)
    if command.stage is Stage.WARNING:  # the assignee hears through the notification channels
        _warn_assignee(session, ticket, command.kind, now)
    log.info("ticket %s: %s deadline at stage %s", number, command.kind, command.stage.code)
    return {"type": "ticket.escalated", "ticket_no": number, "kind": command.kind,
            "stage": command.stage.code, "unit": ticket.assigned_unit, "community": ticket.community_code}


def _warn_assignee(session: Session, ticket: Ticket, kind: str, now: datetime) -> None:
    """Queue a deadline warning for the channels of the unit the ticket is assigned to."""
    running = current_deadline(snapshot_of(ticket))
    unit = ticket.assigned_unit or ticket.community_code
    outbox.enqueue(session, dedup_id=f"ticket:{ticket.ticket_no}:{kind}:warning", kind="ticket", now=now,
                   payload={"ticket_no": ticket.ticket_no, "assignee": unit, "community_code": unit,
                            "due": running[2].isoformat() if running else ""})
