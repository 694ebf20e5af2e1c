"""Activities: published by staff (or an approved organisation), sent to every station; sign-ups
arrive from stations and the platform decides each place in order of arrival, so two stations
offline at once cannot overbook: the later sign-up waits. A freed place moves the first waiting
resident up (``promoted``), which their station tells them at their next visit. A ticket checks in
once: the first check-in to arrive wins, a second is refused."""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.shared.community.errors import (
    ACTIVITY_NOT_FOUND,
    BAD_ACTIVITY,
    CHECKIN_CLOSED,
    ORGANISATION_NOT_APPROVED,
    SIGNUP_NOT_FOUND,
    TICKET_CANCELLED,
    TICKET_USED,
    TICKET_WAITING,
)
from backend.shared.community.messages import (
    ACTIVITY,
    SIGNUP,
    ActivityPublished,
    Audience,
    SignupStatus,
)
from backend.shared.errors import AppError

from ...db.community_models import Activity, Organisation, Signup
from .. import changes

CHECKIN_EARLY = 2 * 3600  # seconds before the start a ticket may check in
TAKEN = ("confirmed", "checked_in")


@dataclass(frozen=True)
class NewActivity:
    community_code: str
    title: str
    description: str
    place: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    signup_opens_at: datetime
    signup_closes_at: datetime
    audience: Audience
    image: bytes | None = None
    organisation_id: str | None = None


def publish_activity(session: Session, *, new: NewActivity, by: str, now: datetime) -> Activity:
    """Record an activity and send it to every station."""
    _check(new)
    organiser = "社区居委会"
    if new.organisation_id:
        organisation = session.get(Organisation, new.organisation_id)
        if (
            organisation is None
            or organisation.community_code != new.community_code
            or organisation.state != "approved"
        ):
            raise AppError(ORGANISATION_NOT_APPROVED, detail=new.organisation_id)
        organiser = organisation.name
    activity = Activity(
        id=str(uuid.uuid4()),
        community_code=new.community_code,
        title=new.title,
        description=new.description,
        organiser=organiser,
        organisation_id=new.organisation_id,
        place=new.place,
        starts_at=new.starts_at,
        ends_at=new.ends_at,
        capacity=new.capacity,
        audience=new.audience.model_dump(),
        signup_opens_at=new.signup_opens_at,
        signup_closes_at=new.signup_closes_at,
        image=new.image,
        state="published",
        created_by=by,
        created_at=now,
        updated_at=now,
    )
    session.add(activity)
    session.flush()
    publish(session, activity, now=now)
    return activity


def _check(new: NewActivity) -> None:
    problems = [
        not new.title.strip(),
        not new.place.strip(),
        new.ends_at <= new.starts_at,
        new.signup_closes_at <= new.signup_opens_at,
        new.signup_closes_at > new.ends_at,
        new.capacity < 1,
        new.audience.kind == "compound" and not new.audience.compound,
        new.image is not None and not new.image.startswith(b"\xff\xd8\xff"),
    ]
    if any(problems):
        raise AppError(BAD_ACTIVITY, detail=str(problems.index(True)))


def cancel_activity(session: Session, *, activity: Activity, now: datetime) -> None:
    activity.state, activity.updated_at = "cancelled", now
    publish(session, activity, now=now)


def counts(session: Session, activity_id: str) -> dict[str, int]:
    rows = session.execute(
        select(Signup.state, func.count()).where(Signup.activity_id == activity_id).group_by(Signup.state)
    ).all()
    return {str(state): int(n) for state, n in rows}


def payload(session: Session, activity: Activity) -> dict[str, Any]:
    n = counts(session, activity.id)
    message = ActivityPublished(
        id=activity.id,
        community_code=activity.community_code,
        title=activity.title,
        description=activity.description,
        organiser=activity.organiser,
        organisation_id=activity.organisation_id,
        place=activity.place,
        starts_at=activity.starts_at,
        ends_at=activity.ends_at,
        capacity=activity.capacity,
        audience=Audience(**activity.audience),
        signup_opens_at=activity.signup_opens_at,
        signup_closes_at=activity.signup_closes_at,
        image_jpeg=base64.b64encode(activity.image).decode() if activity.image else "",
        state=activity.state,
        confirmed=sum(n.get(s, 0) for s in TAKEN),
        waiting=n.get("waiting", 0),
        updated_at=activity.updated_at,
    )
    return message.model_dump(mode="json")


def publish(session: Session, activity: Activity, *, now: datetime) -> None:
    """Send the activity (with its places taken) to every station: any of them checks tickets in."""
    session.flush()
    changes.publish(
        session,
        kind=ACTIVITY,
        scope=changes.DISTRICT,
        key=activity.id,
        payload=payload(session, activity),
        now=now,
        supersede=True,
    )


def get_activity(session: Session, activity_id: str, communities: list[str] | None = None) -> Activity:
    activity = session.get(Activity, activity_id)
    if activity is None or (communities is not None and activity.community_code not in communities):
        raise AppError(ACTIVITY_NOT_FOUND, detail=activity_id[:40])
    return activity


# ---- sign-ups --------------------------------------------------------------------------------------


def place_signup(session: Session, *, activity: Activity, signup: Signup, now: datetime) -> None:
    """Give a new sign-up a place if one is left, else a place on the waiting list."""
    session.flush()
    taken = counts(session, activity.id)
    free = activity.capacity - sum(taken.get(s, 0) for s in TAKEN)
    signup.state = "confirmed" if free > 0 else "waiting"
    signup.updated_at = now
    publish_signup(session, signup, activity, now=now)
    publish(session, activity, now=now)


def cancel_signup(session: Session, *, signup: Signup, now: datetime) -> None:
    """Cancel a sign-up (its ticket no longer checks in) and move the first waiting one up."""
    if signup.state == "cancelled":
        return
    if signup.state == "checked_in":
        raise AppError(TICKET_USED)
    freed = signup.state == "confirmed"
    signup.state, signup.cancelled_at, signup.updated_at = "cancelled", now, now
    activity = session.get(Activity, signup.activity_id)
    assert activity is not None
    publish_signup(session, signup, activity, now=now)
    if freed:
        promote_waiting(session, activity=activity, now=now)
    publish(session, activity, now=now)


def promote_waiting(session: Session, *, activity: Activity, now: datetime) -> Signup | None:
    """Move the first resident of the waiting list up to a place, when a place is free."""
    session.flush()
    taken = counts(session, activity.id)
    if activity.capacity - sum(taken.get(s, 0) for s in TAKEN) <= 0:
        return None
    first = session.scalars(
        select(Signup)
        .where(Signup.activity_id == activity.id, Signup.state == "waiting")
        .order_by(Signup.made_at, Signup.id)
        .limit(1)
    ).first()
    if first is None:
        return None
    first.state, first.promoted, first.updated_at = "confirmed", True, now
    publish_signup(session, first, activity, now=now)
    _republish_waiting(session, activity, now=now)
    return first


def _republish_waiting(session: Session, activity: Activity, *, now: datetime) -> None:
    for signup in session.scalars(
        select(Signup).where(Signup.activity_id == activity.id, Signup.state == "waiting")
    ):
        publish_signup(session, signup, activity, now=now)


def waiting_position(session: Session, signup: Signup) -> int:
    if signup.state != "waiting":
        return 0
    ahead = session.scalar(
        select(func.count())
        .select_from(Signup)
        .where(
            Signup.activity_id == signup.activity_id,
            Signup.state == "waiting",
            (Signup.made_at < signup.made_at)
            | ((Signup.made_at == signup.made_at) & (Signup.id < signup.id)),
        )
    )
    return int(ahead or 0) + 1


def publish_signup(session: Session, signup: Signup, activity: Activity, *, now: datetime) -> None:
    """Tell the stations of the activity's community what became of a sign-up."""
    session.flush()
    status = SignupStatus(
        id=signup.id,
        activity_id=signup.activity_id,
        community_code=activity.community_code,
        owner_hash=signup.owner_hash,
        state=signup.state,
        position=waiting_position(session, signup),
        promoted=signup.promoted,
        checked_in_at=signup.checked_in_at,
        updated_at=now,
    )
    changes.publish(
        session,
        kind=SIGNUP,
        scope=changes.community_scope(activity.community_code),
        key=signup.id,
        payload=status.model_dump(mode="json"),
        now=now,
        supersede=True,
    )


def check_in(
    session: Session, *, signup_id: str, activity_id: str, via: str, at: datetime, now: datetime
) -> Signup:
    """Check a ticket in once; raise activity.ticket_* when it cannot be."""
    signup = session.get(Signup, signup_id)
    if signup is None or signup.activity_id != activity_id:
        raise AppError(SIGNUP_NOT_FOUND)
    if signup.state == "checked_in":
        raise AppError(TICKET_USED, detail=signup.checked_in_via)
    if signup.state == "cancelled":
        raise AppError(TICKET_CANCELLED)
    if signup.state == "waiting":
        raise AppError(TICKET_WAITING)
    activity = session.get(Activity, activity_id)
    assert activity is not None
    if not (activity.starts_at.timestamp() - CHECKIN_EARLY <= at.timestamp() <= activity.ends_at.timestamp()):
        raise AppError(CHECKIN_CLOSED)
    signup.state, signup.checked_in_at, signup.checked_in_via, signup.updated_at = (
        "checked_in",
        at,
        via[:80],
        now,
    )
    publish_signup(session, signup, activity, now=now)
    return signup


# ---- what staff see ---------------------------------------------------------------------------------


def roster(session: Session, activity: Activity, *, now: datetime) -> list[dict[str, Any]]:
    """Every sign-up with its state; a confirmed place not checked in after the end is a no-show."""
    rows = session.scalars(
        select(Signup).where(Signup.activity_id == activity.id).order_by(Signup.made_at, Signup.id)
    )
    over = now > activity.ends_at
    result = []
    for s in rows:
        shown = "no_show" if over and s.state == "confirmed" else s.state
        result.append(
            {
                "id": s.id,
                "name_masked": s.name_masked,
                "id_masked": s.id_masked,
                "state": shown,
                "position": waiting_position(session, s),
                "promoted": s.promoted,
                "made_at": s.made_at.isoformat(),
                "station_id": s.station_id,
                "checked_in_at": s.checked_in_at.isoformat() if s.checked_in_at else None,
                "checked_in_via": s.checked_in_via,
            }
        )
    return result


def view(session: Session, activity: Activity) -> dict[str, Any]:
    n = counts(session, activity.id)
    return {
        "id": activity.id,
        "community_code": activity.community_code,
        "title": activity.title,
        "description": activity.description,
        "organiser": activity.organiser,
        "place": activity.place,
        "starts_at": activity.starts_at.isoformat(),
        "ends_at": activity.ends_at.isoformat(),
        "capacity": activity.capacity,
        "audience": activity.audience,
        "signup_opens_at": activity.signup_opens_at.isoformat(),
        "signup_closes_at": activity.signup_closes_at.isoformat(),
        "state": activity.state,
        "has_image": activity.image is not None,
        "confirmed": n.get("confirmed", 0),
        "checked_in": n.get("checked_in", 0),
        "waiting": n.get("waiting", 0),
        "cancelled": n.get("cancelled", 0),
    }


def listed(session: Session, communities: list[str], limit: int = 200) -> list[Activity]:
    return list(
        session.scalars(
            select(Activity)
            .where(Activity.community_code.in_(communities))
            .order_by(Activity.starts_at.desc())
            .limit(limit)
        )
    )
