"""Tickets as staff see them: a list item, and the full detail with deadlines, suggestions,
history and the actions the signed-in user may take now. A confidential ticket hides who filed it
from everyone but the coordinating units."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from backend.shared.errors import AppError
from backend.shared.tickets import words
from backend.shared.tickets.config import TicketConfig, Words
from backend.shared.tickets.deadlines import Stage, stage_at
from backend.shared.tickets.dispatch import Place, suggest_dispatch
from backend.shared.tickets.words import state_words
from backend.shared.tickets.workflow import ALLOWED, Action, State, current_deadline

from ...db.ticket_models import Ticket
from .access import Actor, coordinates, require_allowed
from .service import history, linked, snapshot_of
from .tree import TicketTree

ACTIONS_SHOWN = (Action.CLASSIFY, Action.DISPATCH, Action.SIGN, Action.RETURN, Action.REQUEST_EXTENSION,
                 Action.APPROVE_EXTENSION, Action.REJECT_EXTENSION, Action.REPLY, Action.CLOSE, Action.RATE)


def place_of(ticket: Ticket) -> Place:
    return Place(ticket.place_kind, ticket.building, ticket.unit_no, ticket.landmark)


def place_words(ticket: Ticket, config: TicketConfig) -> Words:
    """Where the ticket is, in words (see backend.shared.tickets.words)."""
    return words.place_words(place_of(ticket), config, ticket.community_code)


def deadline_now(ticket: Ticket, config: TicketConfig, now: datetime) -> dict[str, Any] | None:
    """The deadline running now and where it stands."""
    running = current_deadline(snapshot_of(ticket))
    if running is None:
        return None
    kind, start, due = running
    stage = stage_at(config, start=start, due=due, grade=ticket.grade, now=now)
    return {"kind": kind, "due": due.isoformat(), "stage": stage.code, "overdue": stage >= Stage.REMINDER}


def list_item(ticket: Ticket, *, tree: TicketTree, config: TicketConfig, now: datetime) -> dict[str, Any]:
    category = config.category(ticket.category)
    return {
        "ticket_no": ticket.ticket_no, "state": ticket.state, "state_words": state_words(ticket.state),
        "category": ticket.category, "category_name": category.name.as_dict() if category else None,
        "grade": ticket.grade, "community": ticket.community_code,
        "place": place_words(ticket, config).as_dict(), "confidential": ticket.confidential,
        "assigned_unit": ticket.assigned_unit, "assigned_unit_name": _name(tree, ticket.assigned_unit),
        "received_at": ticket.received_at.isoformat(), "deadline": deadline_now(ticket, config, now),
        "returns": ticket.returns, "closure": ticket.closure, "updated_at": ticket.updated_at.isoformat(),
    }


def _name(tree: TicketTree, code: str | None) -> dict[str, str] | None:
    return tree.name(code).as_dict() if code else None


def detail(session: Session, ticket: Ticket, *, actor: Actor, config: TicketConfig,
           now: datetime) -> dict[str, Any]:
    """Everything staff need to handle a ticket."""
    tree = TicketTree(session)
    view = list_item(ticket, tree=tree, config=config, now=now)
    coordinator = coordinates(actor, ticket, tree)
    view |= {
        "chosen_category": ticket.chosen_category, "suggestion": ticket.suggestion,
        "description": ticket.description, "phrases": ticket.phrases, "free_text": ticket.free_text,
        "place_detail": {"kind": ticket.place_kind, "building": ticket.building, "unit": ticket.unit_no,
                         "landmark": ticket.landmark, "lat": ticket.lat, "long": ticket.lon},
        "anonymous": ticket.anonymous, "has_photo": ticket.has_photo, "source": ticket.source,
        "station_id": ticket.station_id, "resident": _resident(ticket, coordinator),
        "assigned": {"unit": ticket.assigned_unit, "level": ticket.assigned_level,
                     "role": ticket.assigned_role},
        "arbitration_unit": ticket.arbitration_unit, "extension": ticket.extension,
        "extensions_granted": ticket.extensions_granted,
        "dues": {"reply": _iso(ticket.reply_due), "sign": _iso(ticket.sign_due),
                 "rectify": _iso(ticket.rectify_due)},
        "escalation": ticket.escalation, "reply_text": ticket.reply_text,
        "closure_reason": ticket.closure_reason, "ratings": ticket.ratings, "last_rating": ticket.last_rating,
        "linked": linked(session, ticket.ticket_no), "allowed_actions": allowed_actions(actor, ticket, tree),
        "dispatch_suggestion": _dispatch_suggestion(ticket, tree, config),
        "history": [_entry(t) for t in history(session, ticket.ticket_no, public=False)],
    }
    return view


def _resident(ticket: Ticket, coordinator: bool) -> dict[str, Any]:
    if ticket.anonymous:
        return {"anonymous": True}
    if ticket.confidential and not coordinator:
        return {"hidden": True}
    return {"name": ticket.resident_name, "id_masked": ticket.resident_id_masked,
            "phone_masked": ticket.phone_masked}


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _entry(row: Any) -> dict[str, Any]:
    return {"id": row.id, "action": row.action, "from": row.from_state, "to": row.to_state,
            "actor": row.actor, "unit": row.actor_unit, "at": row.at.isoformat(), "note": row.note,
            "detail": row.detail, "words": row.words}


def allowed_actions(actor: Actor, ticket: Ticket, tree: TicketTree) -> list[str]:
    """The actions this user may try now (the workflow and the unit checks both allow them)."""
    found = []
    for action in ACTIONS_SHOWN:
        if State(ticket.state) not in ALLOWED[action]:
            continue
        try:
            require_allowed(actor, action, ticket, tree)
        except AppError:
            continue
        found.append(action.value)
    return found


def _dispatch_suggestion(ticket: Ticket, tree: TicketTree, config: TicketConfig) -> dict[str, Any] | None:
    if ticket.state not in (State.CLASSIFIED, State.RETURNED, State.ARBITRATION, State.RECEIVED):
        return None
    found = suggest_dispatch(config, tree, category=ticket.category, grade=ticket.grade,
                             community=ticket.community_code, place=place_of(ticket))
    return found.as_dict() | {"unit_name": tree.name(found.unit).as_dict()}
