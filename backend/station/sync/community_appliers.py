"""Applying the platform's community changes at the station (listed in ``sync.appliers``)."""

from __future__ import annotations

from backend.shared.community.messages import ACCOUNTS, ACTIVITY, ORGANISATION, PROPOSAL, SIGNUP
from backend.shared.protocol import Change

from ..services import community_accounts, community_activities, community_council, community_organisations
from .applier_core import ApplyContext, Effect, Table


def activity(ctx: ApplyContext, change: Change) -> Effect | None:
    community_activities.apply_activity(ctx.session, change.payload, now=ctx.now)
    return None


def signup(ctx: ApplyContext, change: Change) -> Effect | None:
    community_activities.apply_signup(ctx.session, change.payload, now=ctx.now)
    return None


def accounts(ctx: ApplyContext, change: Change) -> Effect | None:
    community_accounts.apply_month(ctx.session, change.payload, now=ctx.now)
    return None


def proposal(ctx: ApplyContext, change: Change) -> Effect | None:
    community_council.apply_proposal(ctx.session, change.payload, now=ctx.now)
    return None


def organisation(ctx: ApplyContext, change: Change) -> Effect | None:
    community_organisations.apply_organisation(ctx.session, change.payload, now=ctx.now)
    return None


APPLIERS: Table = {
    ACTIVITY: activity,
    SIGNUP: signup,
    ACCOUNTS: accounts,
    PROPOSAL: proposal,
    ORGANISATION: organisation,
}
