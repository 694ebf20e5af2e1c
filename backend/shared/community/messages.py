"""What stations and the platform tell each other about community life, checked on arrival.

    station → platform   signup.made, signup.cancelled, signup.checked_in, proposal.raised,
                         proposal.supported, organisation.filed
    platform → station   change kinds activity (district), signup, accounts, proposal,
                         organisation (the community's scope)

Residents appear only as the community-keyed hash of their ID number (``owner_hash``), a
masked number and name; a household's support only as a keyed hash of the household.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from backend.shared.protocol import ChangeKind, EventType

HASH = r"^[0-9a-f]{64}$"
MAX_IMAGE_BASE64 = 400_000  # about 300 KB of JPEG
SignupState = Literal["confirmed", "waiting", "cancelled", "checked_in"]

SIGNUP_MADE, SIGNUP_CANCELLED, SIGNUP_CHECKED_IN = (
    EventType.SIGNUP_MADE,
    EventType.SIGNUP_CANCELLED,
    EventType.SIGNUP_CHECKED_IN,
)
PROPOSAL_RAISED, PROPOSAL_SUPPORTED = EventType.PROPOSAL_RAISED, EventType.PROPOSAL_SUPPORTED
ORGANISATION_FILED = EventType.ORGANISATION_FILED
ACTIVITY, SIGNUP, ACCOUNTS = ChangeKind.ACTIVITY, ChangeKind.SIGNUP, ChangeKind.ACCOUNTS
PROPOSAL, ORGANISATION = ChangeKind.PROPOSAL, ChangeKind.ORGANISATION


class _Message(BaseModel):
    model_config = ConfigDict(extra="forbid")


# ---- activities ------------------------------------------------------------------------------------


class Audience(_Message):
    """Who may join: the whole community, or one compound; optionally an age band."""

    kind: Literal["community", "compound"] = "community"
    compound: str = Field("", max_length=32)
    min_age: int | None = Field(None, ge=0, le=120)
    max_age: int | None = Field(None, ge=0, le=120)


class ActivityPublished(_Message):
    """An activity as the platform publishes it (change kind ``activity``, key = its id)."""

    id: str = Field(max_length=36)
    community_code: str = Field(max_length=32)
    title: str = Field(max_length=64)
    description: str = Field("", max_length=2000)
    organiser: str = Field("", max_length=64)  # the community committee, or an organisation's name
    organisation_id: str | None = Field(None, max_length=40)
    place: str = Field(max_length=128)
    starts_at: datetime
    ends_at: datetime
    capacity: int = Field(ge=1, le=100_000)
    audience: Audience = Field(default_factory=Audience)
    signup_opens_at: datetime
    signup_closes_at: datetime
    image_jpeg: str = Field("", max_length=MAX_IMAGE_BASE64)  # base64
    state: Literal["published", "cancelled"] = "published"
    confirmed: int = 0  # places taken, as the platform counts them
    waiting: int = 0
    updated_at: datetime


class SignupMade(_Message):
    """A resident signed up at a station (maybe offline): the station's view of the place."""

    id: str = Field(max_length=36)
    activity_id: str = Field(max_length=36)
    owner_hash: str = Field(pattern=HASH)
    name_masked: str = Field(max_length=64)
    id_masked: str = Field(max_length=24)
    state: Literal["confirmed", "waiting"]  # as the station saw it; the platform decides
    made_at: datetime


class SignupCancelled(_Message):
    id: str = Field(max_length=36)
    cancelled_at: datetime


class SignupCheckedIn(_Message):
    """A ticket scanned at a station: applied once; a second check-in is refused."""

    id: str = Field(max_length=36)
    activity_id: str = Field(max_length=36)
    checked_in_at: datetime


class SignupStatus(_Message):
    """A sign-up as the platform decided it (change kind ``signup``, key = its id)."""

    id: str
    activity_id: str
    community_code: str
    owner_hash: str
    state: SignupState
    position: int = 0  # on the waiting list: 1 is next
    promoted: bool = False  # moved up from the waiting list (the kiosk tells the resident)
    checked_in_at: datetime | None = None
    updated_at: datetime


# ---- open property accounts -------------------------------------------------------------------------


class LedgerEntry(_Message):
    id: str
    date: date
    category: str
    direction: Literal["income", "expense"]
    amount: str  # an exact decimal with two places, as text: never a float
    counterparty: str = ""
    voucher: str
    corrects: str | None = None  # the id of the entry this one corrects
    corrected_by: str | None = None


class AccountsMonth(_Message):
    """A compound's published month (change kind ``accounts``, key = "<compound>:<YYYY-MM>")."""

    compound: str
    community_code: str
    month: str = Field(pattern=r"^\d{4}-\d{2}$")
    opening_balance: str  # the balance carried from the months before
    entries: list[LedgerEntry]
    imports: list[dict[str, str]]  # who imported, when, which file
    published_at: datetime


# ---- compound council ------------------------------------------------------------------------------


class ProposalRaised(_Message):
    id: str = Field(max_length=36)
    compound: str = Field(max_length=32)
    category: str = Field(max_length=32)
    title: str = Field(min_length=1, max_length=64)
    text: str = Field("", max_length=2000)
    owner_hash: str = Field(pattern=HASH)
    household_hash: str = Field(pattern=HASH)  # the raiser's household supports it from the start
    name_masked: str = Field(max_length=64)
    photo_jpeg: str | None = Field(None, max_length=MAX_IMAGE_BASE64)
    raised_at: datetime


class ProposalSupported(_Message):
    proposal_id: str = Field(max_length=36)
    household_hash: str = Field(pattern=HASH)
    supported_at: datetime


class ProposalStatus(_Message):
    """A proposal as the platform keeps it (change kind ``proposal``, key = its id)."""

    id: str
    compound: str
    community_code: str
    category: str
    title: str
    text: str
    state: Literal["open", "agenda", "decided", "declined"]
    supporters: int
    threshold: int
    household_hashes: list[str] = Field(default_factory=list)  # who supported (hashes only)
    ticket_no: str | None = None
    meeting: dict[str, str] | None = None  # at (local text), place
    decision: str = ""
    raised_at: datetime
    updated_at: datetime


# ---- organisations -------------------------------------------------------------------------------

ORGANISATION_KINDS = ("interest", "volunteer", "culture", "sport", "mutual_aid", "other")


class OrganisationFiled(_Message):
    id: str = Field(max_length=40)  # the application number on the slip
    name: str = Field(min_length=2, max_length=64)
    kind: Literal["interest", "volunteer", "culture", "sport", "mutual_aid", "other"]
    leader_hash: str = Field(pattern=HASH)
    leader_name: str = Field(max_length=64)
    leader_id_masked: str = Field(max_length=24)
    contact_sealed: str | None = Field(None, max_length=2000)
    contact_masked: str = Field("", max_length=24)
    members: int = Field(ge=1, le=100_000)
    activities: str = Field(max_length=500)
    filed_at: datetime


class OrganisationStatus(_Message):
    """A filing as the platform decided it (change kind ``organisation``, key = its id)."""

    id: str
    community_code: str
    name: str
    kind: str
    leader_hash: str
    state: Literal["applied", "more_info", "approved", "refused"]
    reason: str = ""
    members: int
    activities: str
    how_to_join: str = ""
    updated_at: datetime
