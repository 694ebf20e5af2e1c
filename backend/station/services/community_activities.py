"""Activities at the kiosk: the community's upcoming ones (as the platform published them), signing
up after identifying (offline too: the outbox carries it, the platform decides the place) and
cancelling. The ticket's signed QR and checking it in are in ``activity_tickets``.

The place a station shows at sign-up is its best knowledge (the places the platform last counted,
plus this station's sign-ups not yet counted); the platform's decision follows as a ``signup``
change, and a resident moved up from the waiting list is told at their next identification.
"""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from backend.shared import localtime
from backend.shared.community.errors import (
    ACTIVITY_NOT_FOUND,
    ALREADY_SIGNED_UP,
    NOT_ELIGIBLE,
    SIGNUP_CLOSED,
    SIGNUP_NOT_FOUND,
    TICKET_USED,
)
from backend.shared.community.messages import (
    SIGNUP_CANCELLED,
    SIGNUP_MADE,
    ActivityPublished,
    SignupCancelled,
    SignupMade,
    SignupStatus,
)
from backend.shared.errors import AppError
from backend.shared.privacy import IdProtector
from backend.shared.tokens import Signer

from ..db.community_models import LocalActivity, LocalSignup
from ..db.session import write_transaction
from . import outbox
from .community_residents import age_on, masked_name, member
from .sessions import Identity


@dataclass(frozen=True)
class Desk:
    """Where residents sign up: this station's community, its signing key and register key."""

    community_code: str
    signer: Signer
    protector: IdProtector


# ---- applying the platform's changes ----------------------------------------------------------------


def apply_activity(session: Session, payload: dict[str, Any], *, now: datetime) -> None:
    activity = ActivityPublished.model_validate(payload)
    row = session.get(LocalActivity, activity.id)
    if row is None:
        row = LocalActivity(id=activity.id)
        session.add(row)
    row.community_code, row.starts_at, row.ends_at = (
        activity.community_code,
        activity.starts_at,
        activity.ends_at,
    )
    row.state, row.updated_at = activity.state, now
    row.image = base64.b64decode(activity.image_jpeg) if activity.image_jpeg else None
    row.payload = activity.model_dump(mode="json", exclude={"image_jpeg"})


def apply_signup(session: Session, payload: dict[str, Any], *, now: datetime) -> None:
    status = SignupStatus.model_validate(payload)
    row = session.get(LocalSignup, status.id)
    if row is None:
        row = LocalSignup(
            id=status.id,
            activity_id=status.activity_id,
            owner_hash=status.owner_hash,
            made_here=False,
            made_at=status.updated_at,
            told=True,
        )
        session.add(row)
    newly_promoted = status.promoted and not row.promoted and status.state == "confirmed"
    row.state, row.position, row.decided, row.updated_at = status.state, status.position, True, now
    row.promoted = status.promoted
    if newly_promoted:
        row.told = False  # tell the resident at their next identification


# ---- what the kiosk shows --------------------------------------------------------------------------


def upcoming(session: Session, *, community_code: str, now: datetime) -> list[dict[str, Any]]:
    """The community's published activities not yet over, soonest first."""
    rows = session.scalars(
        select(LocalActivity)
        .where(
            LocalActivity.community_code == community_code,
            LocalActivity.state == "published",
            LocalActivity.ends_at > now,
        )
        .order_by(LocalActivity.starts_at)
    )
    return [view(session, row, now=now) for row in rows]


def view(session: Session, row: LocalActivity, *, now: datetime) -> dict[str, Any]:
    p = row.payload
    pending = _pending_here(session, row.id)
    left = max(int(p["capacity"]) - int(p["confirmed"]) - pending, 0)
    opens, closes = (
        datetime.fromisoformat(p["signup_opens_at"]),
        datetime.fromisoformat(p["signup_closes_at"]),
    )
    return {
        "id": row.id,
        "title": p["title"],
        "description": p["description"],
        "organiser": p["organiser"],
        "place": p["place"],
        "starts_at": localtime.iso_local(row.starts_at),
        "ends_at": localtime.iso_local(row.ends_at),
        "when_text": localtime.local_text(row.starts_at, "%m月%d日 %H:%M"),
        "capacity": p["capacity"],
        "places_left": left,
        "waiting": p["waiting"],
        "full": left == 0,
        "audience": p["audience"],
        "signup_open": opens <= now < closes and row.state == "published",
        "signup_opens_at": localtime.iso_local(opens),
        "signup_closes_at": localtime.iso_local(closes),
        "has_image": row.image is not None,
        "image_url": f"/api/activities/{row.id}/image" if row.image else None,
    }


def _pending_here(session: Session, activity_id: str) -> int:
    """Places this station gave that the platform has not counted yet."""
    return len(
        session.scalars(
            select(LocalSignup.id).where(
                LocalSignup.activity_id == activity_id,
                LocalSignup.made_here.is_(True),
                LocalSignup.decided.is_(False),
                LocalSignup.state == "confirmed",
            )
        ).all()
    )


def get_activity(session: Session, activity_id: str, community_code: str | None = None) -> LocalActivity:
    row = session.get(LocalActivity, activity_id)
    if row is None or (community_code is not None and row.community_code != community_code):
        raise AppError(ACTIVITY_NOT_FOUND)
    return row


# ---- signing up -----------------------------------------------------------------------------------


def sign_up(
    factory: sessionmaker[Session],
    *,
    desk: Desk,
    identity: Identity,
    activity_id: str,
    idempotency_key: str,
    now: datetime,
) -> tuple[LocalSignup, dict[str, Any]]:
    """Sign the identified resident up (a place, or the waiting list when full); return the sign-up
    and its activity's view. A retry with the same key returns the same sign-up."""
    with write_transaction(factory) as session:
        again = session.scalar(select(LocalSignup).where(LocalSignup.idempotency_key == idempotency_key))
        if again is not None and again.owner_hash == identity.id_hash:
            return again, view(session, get_activity(session, again.activity_id), now=now)
        activity = get_activity(session, activity_id, desk.community_code)
        shown = view(session, activity, now=now)
        if not shown["signup_open"]:
            raise AppError(SIGNUP_CLOSED)
        _check_eligible(session, desk, identity, activity, now)
        mine = session.scalar(
            select(LocalSignup).where(
                LocalSignup.activity_id == activity.id,
                LocalSignup.owner_hash == identity.id_hash,
                LocalSignup.state != "cancelled",
            )
        )
        if mine is not None:
            raise AppError(ALREADY_SIGNED_UP)
        signup = LocalSignup(
            id=str(uuid.uuid4()),
            activity_id=activity.id,
            owner_hash=identity.id_hash,
            idempotency_key=idempotency_key,
            made_here=True,
            state="waiting" if shown["full"] else "confirmed",
            position=0,
            decided=False,
            promoted=False,
            told=True,
            made_at=now,
            updated_at=now,
        )
        session.add(signup)
        message = SignupMade(
            id=signup.id,
            activity_id=activity.id,
            owner_hash=identity.id_hash,
            name_masked=masked_name(identity.name),
            id_masked=identity.id_masked,
            state=signup.state,
            made_at=now,
        )
        outbox.record(
            session,
            event_type=SIGNUP_MADE,
            aggregate_id=signup.id,
            payload=message.model_dump(mode="json"),
            at=now,
        )
        session.flush()
        return signup, view(session, activity, now=now)


def _check_eligible(
    session: Session, desk: Desk, identity: Identity, activity: LocalActivity, now: datetime
) -> None:
    audience = activity.payload.get("audience") or {}
    found = member(session, identity, community_code=desk.community_code, protector=desk.protector)
    if found is None:
        raise AppError(NOT_ELIGIBLE, detail="not in the register")
    if audience.get("kind") == "compound" and (
        found.compound is None or found.compound.code != audience.get("compound")
    ):
        raise AppError(NOT_ELIGIBLE, detail="compound")
    age = age_on(found.birth_date, localtime.local_date(activity.starts_at))
    low, high = audience.get("min_age"), audience.get("max_age")
    if (low is not None or high is not None) and (
        age is None or (low is not None and age < low) or (high is not None and age > high)
    ):
        raise AppError(NOT_ELIGIBLE, detail="age")


def mine(session: Session, identity: Identity, *, now: datetime) -> list[dict[str, Any]]:
    """The identified resident's sign-ups to activities not yet over."""
    rows = session.scalars(
        select(LocalSignup)
        .where(LocalSignup.owner_hash == identity.id_hash)
        .order_by(LocalSignup.made_at.desc())
    )
    found = []
    for signup in rows:
        activity = session.get(LocalActivity, signup.activity_id)
        if activity is None or activity.ends_at <= now:
            continue
        found.append(signup_view(signup, activity))
    return found


def signup_view(signup: LocalSignup, activity: LocalActivity) -> dict[str, Any]:
    return {
        "id": signup.id,
        "activity_id": activity.id,
        "title": activity.payload["title"],
        "place": activity.payload["place"],
        "starts_at": localtime.iso_local(activity.starts_at),
        "state": signup.state,
        "position": signup.position,
        "confirmed_by_platform": signup.decided,
        "promoted": signup.promoted,
    }


def cancel(
    factory: sessionmaker[Session], *, identity: Identity, signup_id: str, now: datetime
) -> LocalSignup:
    """Cancel the resident's own sign-up: its ticket no longer checks in anywhere."""
    with write_transaction(factory) as session:
        signup = session.get(LocalSignup, signup_id)
        if signup is None or signup.owner_hash != identity.id_hash:
            raise AppError(SIGNUP_NOT_FOUND)
        if signup.state == "checked_in":
            raise AppError(TICKET_USED)
        if signup.state != "cancelled":
            signup.state, signup.updated_at = "cancelled", now
            outbox.record(
                session,
                event_type=SIGNUP_CANCELLED,
                aggregate_id=signup.id,
                payload=SignupCancelled(id=signup.id, cancelled_at=now).model_dump(mode="json"),
                at=now,
            )
        return signup


def promotions(factory: sessionmaker[Session], identity: Identity, *, now: datetime) -> list[dict[str, Any]]:
    """Moves up from the waiting list the resident has not been told of; telling marks them told."""
    with write_transaction(factory) as session:
        rows = session.scalars(
            select(LocalSignup).where(LocalSignup.owner_hash == identity.id_hash, LocalSignup.told.is_(False))
        ).all()
        told = []
        for signup in rows:
            signup.told = True
            activity = session.get(LocalActivity, signup.activity_id)
            if activity is None or activity.ends_at <= now or signup.state != "confirmed":
                continue
            told.append(
                {
                    "kind": "activity.promoted",
                    "signup_id": signup.id,
                    "activity_id": activity.id,
                    "title": activity.payload["title"],
                    "starts_at": localtime.iso_local(activity.starts_at),
                    "message": {
                        "zh": f"您候补的活动“{activity.payload['title']}”已有名额，报名成功。",
                        "en": f"A place came free: you are now signed up for “{activity.payload['title']}”.",
                    },
                }
            )
        return told
