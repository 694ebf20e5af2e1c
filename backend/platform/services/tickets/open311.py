"""Open311 GeoReport v2 over the ticket workflow: services (the categories), their definitions
(attributes), filing requests with an api key, reading them, tokens, and FixMyStreet's
servicerequestupdates with its extended statuses mirroring the workflow.

The public read side never shows a resident's name, phone or ID number (numbers typed into a
description are masked) and never lists a confidential ticket. Errors are ``Open311Error`` with
the spec's status codes: 400 (bad or missing parameter, impossible transition), 403 (api key),
404 (unknown service, request or token).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.shared.tickets import workflow
from backend.shared.tickets.config import TicketConfig
from backend.shared.tickets.contact import ContactSealer
from backend.shared.tickets.text import redact
from backend.shared.tickets.workflow import State

from ...db.area_models import OrgUnit
from ...db.ticket_models import Ticket, TicketTransition
from . import service
from .access import Actor, coordinates
from .open311_form import Form, clean, read_request, required
from .open311_format import Open311Error, w3c
from .tree import TicketTree
from .views import place_words

WINDOW = timedelta(days=90)  # the spec's default and longest search window
MAX_RESULTS = 1000
CLOSED_STATES = (State.CLOSED.value, State.RATED.value)
EXTENDED = {  # FixMyStreet's extended statuses for each workflow state
    "received": "open", "classified": "investigating", "dispatched": "action_scheduled",
    "returned": "investigating", "arbitration": "investigating", "in_progress": "in_progress",
    "replied": "in_progress", "rectifying": "open",
}


@dataclass(frozen=True)
class Context:
    config: TicketConfig
    now: datetime
    locale: str = "zh"  # zh or en

    def words(self, pair: Mapping[str, str] | None) -> str:
        return (pair or {}).get(self.locale) or (pair or {}).get("zh", "")


def locale_of(value: str | None) -> str:
    return "en" if (value or "").lower().startswith("en") else "zh"


def extended_status(state: str, closure: str | None, reason: str | None) -> str:
    if state in CLOSED_STATES:
        if closure == "resolved":
            return "fixed"
        return "not_councils_responsibility" if reason == "outside_duty" else "no_further_action"
    return EXTENDED.get(state, "open")


# ---- services -----------------------------------------------------------------------------------

def services(config: TicketConfig, ctx: Context) -> list[dict[str, Any]]:
    return [{"service_code": c.code, "service_name": ctx.words(c.name.as_dict()),
             "description": "；".join(ctx.words(p.as_dict()) for p in c.phrases), "metadata": True,
             "type": "realtime", "keywords": ", ".join(c.open311.keywords), "group": c.open311.group}
            for c in config.categories]


def definition(session: Session, code: str, ctx: Context) -> dict[str, Any]:
    category = ctx.config.category(code)
    if category is None:
        raise Open311Error(404, f"service_code {code[:32]!r} not found")
    communities = list(session.scalars(select(OrgUnit).where(OrgUnit.level == "community")
                                       .order_by(OrgUnit.code)))
    landmarks = [{"key": m.code, "name": ctx.words(m.as_dict())}
                 for community in communities for m in ctx.config.landmarks.get(community.code, [])]
    names = [{"key": c.code, "name": c.name_en if ctx.locale == "en" else c.name_zh} for c in communities]
    attributes = [
        _attribute(1, "community", "singlevaluelist", True, "社区 Community", names),
        _attribute(2, "building", "string", False, "楼号 Building number in the community register"),
        _attribute(3, "unit", "string", False, "单元 Entrance (unit) of the building"),
        _attribute(4, "landmark", "singlevaluelist", False, "公共区域地标 Landmark of the public area",
                   landmarks),
        _attribute(5, "phrase", "multivaluelist", False, "常用语 Ready phrases",
                   [{"key": p.code, "name": ctx.words(p.as_dict())} for p in category.phrases]),
        _attribute(6, "confidential", "singlevaluelist", False, "保密 Keep the request off public lists",
                   [{"key": "false", "name": "否 No"}, {"key": "true", "name": "是 Yes"}]),
    ]
    return {"service_code": category.code, "attributes": attributes}


def _attribute(order: int, code: str, datatype: str, required: bool, description: str,
               values: list[dict[str, str]] | None = None) -> dict[str, Any]:
    return {"variable": True, "code": code, "datatype": datatype, "required": required,
            "datatype_description": "", "order": order, "description": description,
            "values": values or []}


# ---- filing a request ---------------------------------------------------------------------------------

def create_request(session: Session, *, form: Form, actor: Actor, ctx: Context, district_code: str,
                   sealer: ContactSealer) -> Ticket:
    """File a request for an Open311 client acting for its unit."""
    asked = read_request(session, form, ctx.config, sealer)
    day = ctx.config.calendar.local(ctx.now).strftime("%Y%m%d")
    new = service.NewTicket(
        ticket_no=service.next_platform_ticket_no(session, district_code=district_code, day_key=day),
        source="open311", community_code=asked.community.code, chosen_category=asked.category.code,
        place=asked.place, description=asked.description, submitted_at=ctx.now, phrases=tuple(asked.phrases),
        free_text=form.get("description"), confidential=form.attribute("confidential") == "true",
        anonymous=asked.contact is None, contact_sealed=asked.contact, phone_masked=asked.phone_masked,
        lat=asked.lat, lon=asked.lon, with_token=True)
    return service.file_ticket(session, new=new, actor=actor, config=ctx.config, now=ctx.now)


# ---- reading requests --------------------------------------------------------------------------------

def request_view(session: Session, ticket: Ticket, ctx: Context, tree: TicketTree) -> dict[str, Any]:
    """A request as the public sees it: no name, phone or ID number."""
    category = ctx.config.category(ticket.category)
    latest = service.history(session, ticket.ticket_no, public=True)
    tz = ctx.config.calendar.timezone
    due = ticket.rectify_due if ticket.state == "rectifying" else ticket.reply_due
    unit = ticket.assigned_unit or ticket.community_code
    return {
        "service_request_id": ticket.ticket_no,
        "status": "closed" if ticket.state in CLOSED_STATES else "open",
        "status_notes": redact(ctx.words(latest[-1].words)) if latest else "",
        "service_name": ctx.words(category.name.as_dict()) if category else ticket.category,
        "service_code": ticket.category, "description": redact(ticket.description),
        "agency_responsible": ctx.words(tree.name(unit).as_dict()),
        "service_notice": "", "requested_datetime": w3c(ticket.received_at, tz),
        "updated_datetime": w3c(ticket.updated_at, tz), "expected_datetime": w3c(due, tz),
        "address": ctx.words(place_words(ticket, ctx.config).as_dict()), "address_id": "", "zipcode": "",
        "lat": ticket.lat, "long": ticket.lon, "media_url": "",
    }


def public_ticket(session: Session, number: str) -> Ticket:
    ticket = session.get(Ticket, number)
    if ticket is None or ticket.confidential:
        raise Open311Error(404, f"service_request_id {number[:40]!r} not found")
    return ticket


def window(start: datetime | None, end: datetime | None, now: datetime, span: timedelta = WINDOW
           ) -> tuple[datetime, datetime]:
    """The search window: the spec's default (last 90 days) and its longest span."""
    if start and end and end - start > span:
        raise Open311Error(400, f"start_date and end_date may not span more than {span.days} days")
    if start and end:
        return start, end
    if start:
        return start, min(start + span, now)
    end = end or now
    return end - span, end


def find_requests(session: Session, *, ids: list[str], codes: list[str], statuses: list[str],
                  start: datetime | None, end: datetime | None, ctx: Context) -> list[Ticket]:
    """Public requests: by id (overrides all else), else by service, status and date window."""
    query = select(Ticket).where(Ticket.confidential.is_(False))
    if ids:
        query = query.where(Ticket.ticket_no.in_(ids[:MAX_RESULTS]))
    else:
        since, until = window(start, end, ctx.now)
        query = query.where(Ticket.received_at >= since, Ticket.received_at <= until)
        if codes:
            query = query.where(Ticket.category.in_(codes))
        if statuses:
            wanted = set(statuses)
            if not wanted <= {"open", "closed"}:
                raise Open311Error(400, "status must be open or closed")
            if wanted == {"closed"}:
                query = query.where(Ticket.state.in_(CLOSED_STATES))
            elif wanted == {"open"}:
                query = query.where(Ticket.state.not_in(CLOSED_STATES))
    return list(session.scalars(query.order_by(Ticket.received_at.desc()).limit(MAX_RESULTS)))


# ---- FixMyStreet's service request updates ------------------------------------------------------------

def updates(session: Session, *, start: datetime | None, end: datetime | None, ctx: Context
            ) -> list[dict[str, Any]]:
    """Public steps of public requests in a window, oldest first."""
    since, until = window(start, end, ctx.now)
    rows = session.execute(
        select(TicketTransition, Ticket).join(Ticket, Ticket.ticket_no == TicketTransition.ticket_no)
        .where(Ticket.confidential.is_(False), TicketTransition.words.is_not(None),
               TicketTransition.at >= since, TicketTransition.at <= until)
        .order_by(TicketTransition.id).limit(MAX_RESULTS)).all()
    tz = ctx.config.calendar.timezone
    return [{"update_id": str(step.id), "service_request_id": ticket.ticket_no,
             "status": _update_status(step, ticket), "updated_datetime": w3c(step.at, tz),
             "description": redact(ctx.words(step.words)), "media_url": "",
             "external_status_code": step.action} for step, ticket in rows]


def _update_status(step: TicketTransition, ticket: Ticket) -> str:
    if step.action == "close":
        return extended_status("closed", step.detail.get("outcome"), step.detail.get("reason"))
    return extended_status(step.to_state, ticket.closure, ticket.closure_reason)


# What a posted status asks for, from the ticket's state: the workflow commands to run.
_CLOSING = {"fixed": ("resolved", None), "closed": ("resolved", None),
            "no_further_action": ("unresolved", "no_legal_basis"),
            "not_councils_responsibility": ("unresolved", "outside_duty")}
_ACTIVE = {"in_progress", "action_scheduled", "investigating"}


def commands_for(status: str, state: str, text: str, *, can_close: bool) -> list[workflow.Command]:
    """The workflow commands an update's status means in the ticket's state ([] = a comment).

    A closing status from the handling unit is its reply (答复); the coordinating unit closes
    (办结) — with its own key, or the handling unit's status then closes in one step."""
    if status in _CLOSING:
        outcome, reason = _CLOSING[status]
        reply = [workflow.Reply(text or "已办理")] if state in ("in_progress", "rectifying") else []
        close = [workflow.Close(outcome, reason)] if can_close or not reply else []
        return [*reply, *close]
    if status in _ACTIVE and state == "dispatched":
        return [workflow.Sign()]
    if status == "internal_referral" and state == "dispatched":
        return [workflow.Return("not_our_duty")]
    if status in ("open", *_ACTIVE):
        return []
    raise Open311Error(400, f"status {status[:32]!r} cannot be applied to a request that is {state}")


def post_update(session: Session, *, form: Form, actor: Actor, ctx: Context) -> TicketTransition:
    """Apply an update from a client acting for its unit; return the last step recorded."""
    number = required(form, "service_request_id")
    status = required(form, "status").lower()
    text = clean(form.get("description"), 2000, required=False)
    ticket = service.visible_ticket(session, number, actor)
    tree = TicketTree(session)
    can_close = coordinates(actor, ticket, tree)
    commands = commands_for(status, ticket.state, text, can_close=can_close)
    for command in commands:
        service.act(session, ticket_no=number, command=command, actor=actor, config=ctx.config,
                    now=ctx.now, note=text)
    if not commands:
        service.comment(session, ticket_no=number, text=text or status, actor=actor, now=ctx.now)
    session.flush()
    last = session.scalar(select(TicketTransition).where(TicketTransition.ticket_no == number)
                          .order_by(TicketTransition.id.desc()).limit(1))
    assert last is not None
    return last

