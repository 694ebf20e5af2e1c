"""Station events about community life, applied by the platform (registered in
``services.appliers``). A station speaks only for its own community: sign-ups to its community's
activities, proposals of its compounds, filings of its organisations. Each event applies once
(the outbox's numbering); a second check-in of one ticket is refused and kept as rejected."""

from __future__ import annotations

from backend.shared.community.messages import (
    ORGANISATION_FILED,
    PROPOSAL_RAISED,
    PROPOSAL_SUPPORTED,
    SIGNUP_CANCELLED,
    SIGNUP_CHECKED_IN,
    SIGNUP_MADE,
    OrganisationFiled,
    ProposalRaised,
    ProposalSupported,
    SignupCancelled,
    SignupCheckedIn,
    SignupMade,
)
from backend.shared.errors import AppError
from backend.shared.protocol import OutboxEventIn

from ...db.community_models import Activity, Organisation, Proposal, Signup
from ..applier_registry import Appliers, ApplyContext, Rejected, parsed_payload
from . import activities, council, organisations


def signup_made(ctx: ApplyContext, event: OutboxEventIn) -> None:
    message = parsed_payload(SignupMade, event)
    existing = ctx.session.get(Signup, message.id)
    if existing is not None:
        if existing.station_id != ctx.station.id:
            raise Rejected("sign-up belongs to another station")
        return
    activity = ctx.session.get(Activity, message.activity_id)
    if activity is None or activity.community_code != ctx.station.community_code:
        raise Rejected("no such activity in this station's community")
    twice = (
        ctx.session.query(Signup.id)
        .filter(
            Signup.activity_id == activity.id,
            Signup.owner_hash == message.owner_hash,
            Signup.state != "cancelled",
        )
        .first()
    )
    if twice is not None:
        raise Rejected("resident already signed up")
    signup = Signup(
        id=message.id,
        activity_id=activity.id,
        community_code=activity.community_code,
        station_id=ctx.station.id,
        owner_hash=message.owner_hash,
        name_masked=message.name_masked,
        id_masked=message.id_masked,
        state="waiting",
        promoted=False,
        made_at=message.made_at,
        received_at=ctx.now,
        updated_at=ctx.now,
    )
    ctx.session.add(signup)
    activities.place_signup(ctx.session, activity=activity, signup=signup, now=ctx.now)
    ctx.notes.append(
        {
            "type": "signup.new",
            "activity_id": activity.id,
            "state": signup.state,
            "community": activity.community_code,
        }
    )


def signup_cancelled(ctx: ApplyContext, event: OutboxEventIn) -> None:
    message = parsed_payload(SignupCancelled, event)
    signup = ctx.session.get(Signup, message.id)
    if signup is None or signup.community_code != ctx.station.community_code:
        raise Rejected("no such sign-up in this station's community")
    try:
        activities.cancel_signup(ctx.session, signup=signup, now=ctx.now)
    except AppError as err:
        raise Rejected(err.code) from err


def signup_checked_in(ctx: ApplyContext, event: OutboxEventIn) -> None:
    # Any station may check a ticket in (the event may be held elsewhere): the ticket's signature
    # was checked there; here the sign-up's state decides, once.
    message = parsed_payload(SignupCheckedIn, event)
    try:
        activities.check_in(
            ctx.session,
            signup_id=message.id,
            activity_id=message.activity_id,
            via=f"station:{ctx.station.id}",
            at=message.checked_in_at,
            now=ctx.now,
        )
    except AppError as err:
        raise Rejected(err.code) from err
    ctx.notes.append({"type": "signup.checked_in", "activity_id": message.activity_id})


def proposal_raised(ctx: ApplyContext, event: OutboxEventIn) -> None:
    message = parsed_payload(ProposalRaised, event)
    existing = ctx.session.get(Proposal, message.id)
    if existing is not None:
        if existing.station_id != ctx.station.id:
            raise Rejected("proposal belongs to another station")
        return
    try:
        council.raise_proposal(
            ctx.session,
            message=message,
            station_id=ctx.station.id,
            community_code=ctx.station.community_code,
            district_code=ctx.station.community_code[:6],
            now=ctx.now,
        )
    except AppError as err:
        raise Rejected(err.code) from err
    ctx.notes.append({"type": "proposal.new", "id": message.id, "community": ctx.station.community_code})


def proposal_supported(ctx: ApplyContext, event: OutboxEventIn) -> None:
    message = parsed_payload(ProposalSupported, event)
    proposal = ctx.session.get(Proposal, message.proposal_id)
    if proposal is None or proposal.community_code != ctx.station.community_code:
        raise Rejected("no such proposal in this station's community")
    try:
        council.support(
            ctx.session,
            proposal=proposal,
            household_hash=message.household_hash,
            at=message.supported_at,
            district_code=ctx.station.community_code[:6],
            now=ctx.now,
        )
    except AppError as err:
        raise Rejected(err.code) from err


def organisation_filed(ctx: ApplyContext, event: OutboxEventIn) -> None:
    message = parsed_payload(OrganisationFiled, event)
    existing = ctx.session.get(Organisation, message.id)
    if existing is not None:
        if existing.station_id != ctx.station.id:
            raise Rejected("filing belongs to another station")
        return
    organisations.record_filing(
        ctx.session,
        message=message,
        station_id=ctx.station.id,
        community_code=ctx.station.community_code,
        now=ctx.now,
    )
    ctx.notes.append(
        {"type": "organisation.filed", "id": message.id, "community": ctx.station.community_code}
    )


APPLIERS = Appliers({
    SIGNUP_MADE: signup_made,
    SIGNUP_CANCELLED: signup_cancelled,
    SIGNUP_CHECKED_IN: signup_checked_in,
    PROPOSAL_RAISED: proposal_raised,
    PROPOSAL_SUPPORTED: proposal_supported,
    ORGANISATION_FILED: organisation_filed,
})
