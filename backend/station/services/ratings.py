"""Ratings after every finished service — a certificate printed, a ticket closed — five levels and
optional reasons, anonymous: the rating and its outbox event name the service, never the resident.
A service is rated once; a ticket reopened after a bad rating may be rated once more (追评)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from backend.shared.errors import AppError
from backend.shared.tickets import errors
from backend.shared.tickets.config import TicketConfig
from backend.shared.tickets.messages import RATING_SUBMITTED, RatingSubmitted

from ..db.models import Certificate
from ..db.session import write_transaction
from ..db.ticket_models import LocalRating, LocalTicket
from . import outbox
from .sessions import Identity

RATED_STATES = ("printed",)  # a certificate can be rated once it is in the resident's hands


def options(config: TicketConfig) -> dict[str, Any]:
    """The five levels and the reasons the rating screen offers."""
    ratings = config.policy.ratings
    levels = [(n, ratings.levels[n]) for n in (5, 4, 3, 2, 1)]
    return {"levels": [{"level": n, "code": v.code, "name": {"zh": v.zh, "en": v.en}} for n, v in levels],
            "reasons": [{"code": code, "name": reason.as_dict(), "tone": reason.tone}
                        for code, reason in ratings.reasons.items()],
            "bad_at_or_below": ratings.bad_at_or_below}


def _check(config: TicketConfig, level: int, reasons: list[str]) -> None:
    if level not in config.policy.ratings.levels:
        raise AppError(errors.BAD_RATING, detail=str(level)[:8])
    if len(set(reasons)) != len(reasons) or any(r not in config.policy.ratings.reasons for r in reasons):
        raise AppError(errors.BAD_REASON, detail=",".join(reasons)[:64])


def already_rated(session: Session, kind: str, target: str, follow_up: bool) -> bool:
    return session.scalar(select(LocalRating.id).where(
        LocalRating.target_kind == kind, LocalRating.target_id == target,
        LocalRating.follow_up.is_(follow_up))) is not None


def rate_ticket(factory: sessionmaker[Session], *, ticket_no: str, level: int, reasons: list[str],
                config: TicketConfig, now: datetime) -> LocalRating:
    """Rate a closed ticket (the follow-up rating when it was reopened)."""
    _check(config, level, reasons)
    with write_transaction(factory) as session:
        ticket = session.get(LocalTicket, ticket_no)
        if ticket is None:
            raise AppError(errors.NOT_FOUND)
        follow_up = bool((ticket.status or {}).get("follow_up"))
        if ticket.state == "rated" or already_rated(session, "ticket", ticket_no, follow_up):
            raise AppError(errors.ALREADY_RATED)
        if ticket.state != "closed":
            raise AppError(errors.NOT_CLOSED, detail=ticket.state)
        return _record(session, "ticket", ticket_no, level, reasons, follow_up, now, type_code="")


def rate_certificate(factory: sessionmaker[Session], *, certificate_id: str, identity: Identity,
                     level: int, reasons: list[str], config: TicketConfig, now: datetime) -> LocalRating:
    """Rate a certificate the identified resident was given."""
    _check(config, level, reasons)
    with write_transaction(factory) as session:
        certificate = session.get(Certificate, certificate_id)
        if certificate is None or certificate.holder_id_hash != identity.id_hash:
            raise AppError(errors.NOT_FOUND)
        if certificate.state not in RATED_STATES:
            raise AppError(errors.RATING_NOT_FINISHED, detail=certificate.state)
        if already_rated(session, "certificate", certificate_id, False):
            raise AppError(errors.ALREADY_RATED)
        return _record(session, "certificate", certificate_id, level, reasons, False, now,
                       type_code=certificate.type_code)


def _record(session: Session, kind: str, target: str, level: int, reasons: list[str], follow_up: bool,
            now: datetime, *, type_code: str) -> LocalRating:
    rating = LocalRating(target_kind=kind, target_id=target, level=level, reasons=reasons,
                         follow_up=follow_up, rated_at=now)
    session.add(rating)
    message = RatingSubmitted(target_kind=kind, target_id=target, level=level, reasons=reasons,
                              follow_up=follow_up, rated_at=now, type_code=type_code)
    outbox.record(session, event_type=RATING_SUBMITTED, aggregate_id=target,
                  payload=message.model_dump(mode="json"), at=now)
    return rating
