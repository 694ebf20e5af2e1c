"""What the community-life screens render (社区活动): the activities listed, the one chosen, the
resident's sign-ups and what a scanned ticket did. Cleared with the visit (``FlowState``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .records import AccountsMonth, Activity, CheckIn, PublishingCompound, Signup, Text
from .records.organisations import Organisation, OrgKind


@dataclass
class ActivitiesState:
    activities: list[Activity] = field(default_factory=list)
    activity: Activity | None = None  # the one shown (detail) or being signed up for
    idempotency_key: str | None = None  # one per sign-up; a retry re-sends it
    signup: Signup | None = None  # the sign-up just made
    slip_printed: bool = False
    slip_problem: Text | None = None  # why the slip did not print
    signups: list[Signup] = field(default_factory=list)  # "my sign-ups" (personal)
    wants_mine: bool = False  # identified to see one's sign-ups rather than to sign up
    checked_in: CheckIn | None = None  # a scanned ticket that checked in
    checkin_problem: Text | None = None  # the station's words when it refused a ticket


@dataclass
class AccountsState:
    """信酬制: the compounds that publish, and the owner's compound and month shown (personal)."""

    publishing: list[PublishingCompound] = field(default_factory=list)
    compound: str = ""  # the resident's own compound ("" when not an owner in any)
    months: list[str] = field(default_factory=list)  # latest first
    month: AccountsMonth | None = None
    printed: bool = False
    print_problem: Text | None = None


@dataclass
class OrgDraft:
    """申请备案: what the leader has entered so far (personal: cleared with the visit)."""

    kind: str = ""
    name: str = ""
    phone: str = ""
    members: str = ""  # digits, as typed on the keypad
    activities: str = ""
    idempotency_key: str | None = None  # one per filing; a retry re-sends it; a change makes a new one


@dataclass
class OrganisationsState:
    """社区组织: the approved organisations (public), the kinds, a filing and one's own filings."""

    approved: list[Organisation] = field(default_factory=list)
    kinds: list[OrgKind] = field(default_factory=list)
    draft: OrgDraft = field(default_factory=OrgDraft)
    filed: Organisation | None = None  # the filing just made (its number on the done screen)
    slip_printed: bool = False
    slip_problem: Text | None = None  # why the slip did not print
    mine: list[Organisation] = field(default_factory=list)  # personal
    wants_mine: bool = False  # identified to see one's filings rather than to file one
