"""An activity's ticket at the kiosk: its signed QR, and checking it in once — at any station,
offline too (the signature is checked against the trust list; the sign-up's state is as last
known here)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from backend.shared import localtime
from backend.shared.community.activity_ticket import encode_ticket, read_ticket
from backend.shared.community.errors import (
    CHECKIN_CLOSED,
    SIGNUP_NOT_FOUND,
    TICKET_CANCELLED,
    TICKET_USED,
    TICKET_WAITING,
)
from backend.shared.community.messages import SIGNUP_CHECKED_IN, SignupCheckedIn
from backend.shared.errors import AppError
from backend.shared.tokens import KeySet, Signer

from ..db.community_models import LocalActivity, LocalCheckIn, LocalSignup
from ..db.session import write_transaction
from . import outbox

CHECKIN_EARLY = timedelta(hours=2)
TICKET_GRACE = timedelta(days=1)  # a ticket stays readable a day after the activity's end


def ticket_of(signup: LocalSignup, activity: LocalActivity, *, signer: Signer, now: datetime) -> str:
    """The ticket's QR text: signed by this station, readable offline anywhere in the district."""
    return encode_ticket(
        signup_id=signup.id,
        activity_id=signup.activity_id,
        signer=signer,
        issued_at=now,
        expires_at=max(activity.ends_at, now) + TICKET_GRACE,
    )


def check_in(factory: sessionmaker[Session], *, token: str, keys: KeySet, now: datetime) -> dict[str, Any]:
    """Check a scanned ticket in, once: the signature (offline, the trust list), the sign-up's state
    as last known here, the activity's time; then record it with its outbox event."""
    ticket = read_ticket(token, keys=keys, now=now)
    with write_transaction(factory) as session:
        activity = session.get(LocalActivity, ticket.activity_id)
        signup = session.get(LocalSignup, ticket.signup_id)
        if signup is not None and signup.activity_id != ticket.activity_id:
            raise AppError(SIGNUP_NOT_FOUND)
        if session.get(LocalCheckIn, ticket.signup_id) is not None or (
            signup and signup.state == "checked_in"
        ):
            raise AppError(TICKET_USED)
        if signup is not None and signup.state == "cancelled":
            raise AppError(TICKET_CANCELLED)
        if signup is not None and signup.state == "waiting":
            raise AppError(TICKET_WAITING)
        if activity is not None and not (activity.starts_at - CHECKIN_EARLY <= now <= activity.ends_at):
            raise AppError(CHECKIN_CLOSED)
        if activity is not None and activity.state == "cancelled":
            raise AppError(TICKET_CANCELLED, detail="activity cancelled")
        try:
            with session.begin_nested():
                session.add(
                    LocalCheckIn(
                        signup_id=ticket.signup_id, activity_id=ticket.activity_id, checked_in_at=now
                    )
                )
        except IntegrityError as err:  # a second scan racing the first
            raise AppError(TICKET_USED) from err
        if signup is not None:
            signup.state, signup.updated_at = "checked_in", now
        message = SignupCheckedIn(id=ticket.signup_id, activity_id=ticket.activity_id, checked_in_at=now)
        outbox.record(
            session,
            event_type=SIGNUP_CHECKED_IN,
            aggregate_id=ticket.signup_id,
            payload=message.model_dump(mode="json"),
            at=now,
        )
        title = activity.payload["title"] if activity is not None else ""
        return {
            "signup_id": ticket.signup_id,
            "activity_id": ticket.activity_id,
            "title": title,
            "state": "checked_in",
            "checked_in_at": localtime.iso_local(now),
            "message": {"zh": "签到成功，欢迎参加！", "en": "Checked in. Welcome!"},
        }
