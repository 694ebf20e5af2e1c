"""Figures and possible duplicates over the tickets a user may see."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from backend.shared.tickets.config import TicketConfig
from backend.shared.tickets.duplicates import DuplicateCandidate, possible_duplicates
from backend.shared.tickets.figures import SATISFIED_AT_OR_ABOVE, TicketFigureRow, figures, month_of

from ...db.ticket_models import ServiceRating, Ticket
from .access import Actor
from .service import linked
from .tree import TicketTree
from .views import list_item, place_of


def visible(query: Select[Any], actor: Actor, tree: TicketTree) -> Select[Any]:
    """Limit a ticket query to what the actor may see (a unit's staff see their unit's tickets)."""
    units = tree.codes_under(actor.unit_path)
    return query.where(or_(Ticket.community_code.in_(units), Ticket.assigned_unit.in_(units),
                           Ticket.arbitration_unit.in_(units)))


def figure_row(ticket: Ticket, now: datetime) -> TicketFigureRow:
    waiting = ticket.state == "dispatched" and ticket.sign_due is not None and now > ticket.sign_due
    return TicketFigureRow(
        category=ticket.category, unit=ticket.assigned_unit, received_at=ticket.received_at,
        dispatched_at=ticket.dispatched_at, signed_at=ticket.signed_at, sign_late=ticket.sign_late,
        waiting_past_sign_due=waiting, closure=ticket.closure, reply_late=ticket.reply_late,
        returns=ticket.returns, final_rating=ticket.last_rating, reopened=ticket.reopened_at is not None)


def ticket_figures(session: Session, *, actor: Actor, by: str, since: datetime, until: datetime,
                   config: TicketConfig, now: datetime, category: str | None = None) -> dict[str, Any]:
    """Rates per unit, category or month for tickets received in [since, until)."""
    query = visible(select(Ticket), actor, TicketTree(session)).where(
        Ticket.received_at >= since, Ticket.received_at < until)
    if category:
        query = query.where(Ticket.category == category)
    rows = [figure_row(t, now) for t in session.scalars(query)]
    return figures(rows, by=by, timezone=config.calendar.timezone) | {
        "since": since.isoformat(), "until": until.isoformat()}


def service_ratings(session: Session, *, communities: list[str], since: datetime, until: datetime,
                    config: TicketConfig) -> list[dict[str, Any]]:
    """Satisfaction with other services (certificates) per station, type and month."""
    query = select(ServiceRating).where(ServiceRating.target_kind != "ticket",
                                        ServiceRating.community_code.in_(communities),
                                        ServiceRating.rated_at >= since, ServiceRating.rated_at < until)
    groups: dict[tuple[str, str, str], list[int]] = {}
    for rating in session.scalars(query):
        key = (rating.station_id or "", rating.category, month_of(rating.rated_at, config.calendar.timezone))
        groups.setdefault(key, []).append(rating.level)
    return [{"station_id": s, "type_code": t, "month": m, "rated": len(levels),
             "satisfaction_rate": round(sum(v >= SATISFIED_AT_OR_ABOVE for v in levels) / len(levels), 4),
             "ratings": {str(n): levels.count(n) for n in range(5, 0, -1)}}
            for (s, t, m), levels in sorted(groups.items())]


def _candidate(ticket: Ticket) -> DuplicateCandidate:
    return DuplicateCandidate(ticket.ticket_no, ticket.category, place_of(ticket), ticket.received_at,
                              ticket.description)


def duplicates_of(session: Session, ticket: Ticket, *, actor: Actor, config: TicketConfig,
                  now: datetime) -> list[dict[str, Any]]:
    """Tickets that may be about the same thing (same category and place, within a few days)."""
    tree = TicketTree(session)
    window = timedelta(days=config.policy.duplicate_window_days)
    query = visible(select(Ticket), actor, tree).where(
        Ticket.community_code == ticket.community_code, Ticket.category == ticket.category,
        Ticket.received_at >= ticket.received_at - window, Ticket.received_at <= ticket.received_at + window)
    already = set(linked(session, ticket.ticket_no))
    others = [_candidate(t) for t in session.scalars(query) if t.ticket_no not in already]
    found = possible_duplicates(_candidate(ticket), others, window_days=config.policy.duplicate_window_days)
    rows = {t.ticket_no: t for t in session.scalars(select(Ticket).where(
        Ticket.ticket_no.in_([c.ticket_no for c, _ in found])))}
    return [list_item(rows[c.ticket_no], tree=tree, config=config, now=now) | {"similarity": score}
            for c, score in found]
