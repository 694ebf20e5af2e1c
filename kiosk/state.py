"""The visit's vocabulary: its steps and the state the screens render (the station API the
journeys call is ``kiosk.client.StationApi``)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from enum import StrEnum

from .advice import Problem
from .community_state import AccountsState, ActivitiesState, OrganisationsState
from .council_state import CouncilState
from .dialogs import Dialog, Entry
from .i18n import N_
from .records import (
    Application,
    Certificate,
    CertificateType,
    Component,
    DeviceEvent,
    Fault,
    Identity,
    Notice,
    Outcome,
    PhoneLink,
    Places,
    StationInfo,
    Text,
    TicketCategory,
    TicketView,
    VerificationResult,
)
from .records.residents import Promotion
from .records.volunteers import (
    Checkin,
    Duty,
    DutyKind,
    EmergencyInfo,
    HoursRecord,
    NeedView,
    NeighbourGroup,
    VolunteerInfo,
)


class Step(StrEnum):
    ATTRACT = "attract"  # idle: the station, its services, a clock, notices; any touch wakes it
    HOME = "home"
    WAIT_CARD = "wait_card"
    IDENTITY = "identity"
    CHOOSE_TYPE = "choose_type"
    CHOOSE_PURPOSE = "choose_purpose"
    CONFIRM = "confirm"
    PRINTING = "printing"
    DONE = "done"
    ERROR = "error"
    SCAN_CODE = "scan_code"  # verify: scan the QR printed on the certificate
    VERIFY_RESULT = "verify_result"
    THANKS = "thanks"  # after a finished service; home by itself
    HELP = "help"
    COMMUNITY = "community"  # 社区生活: council, organisations, accounts, neighbour group
    NOTICES = "notices"
    # identifying without the card: the resident QR code on the phone
    SCAN_RESIDENT = "scan_resident"
    # certificates that take the resident's input, need approval, or are collected with a slip
    CERT_FIELDS = "cert_fields"
    APPLIED = "applied"
    PICKUP_SCAN = "pickup_scan"
    PICKUP = "pickup"
    # 我要反映: file a request
    REQ_CATEGORY = "request_category"
    REQ_PLACE = "request_place"
    REQ_SPOT = "request_spot"
    REQ_DESCRIBE = "request_describe"
    REQ_PHOTO = "request_photo"
    REQ_CONTACT = "request_contact"
    REQ_CONFIRM = "request_confirm"
    REQ_DONE = "request_done"
    # 进度查询: check progress
    PROGRESS_SCAN = "progress_scan"
    PROGRESS_LIST = "progress_list"
    PROGRESS = "progress"
    # 评价: rate a finished service
    RATE = "rate"
    # 志愿者签到: volunteer duty
    VOL_DUTY = "volunteer_duty"
    VOL_DONE = "volunteer_done"
    VOL_HOURS = "volunteer_hours"
    # emergency mode (战时): its home, and a volunteer's check-in to a task group
    EMERGENCY = "emergency"
    EMERGENCY_CHECKIN = "emergency_checkin"
    EMERGENCY_NEEDS = "emergency_needs"  # the household's needs and their status
    # 物资需求登记: a household registers a need (kind, urgency, phone and phrases, then the slip)
    NEED_KIND = "need_kind"
    NEED_URGENCY = "need_urgency"
    NEED_CONTACT = "need_contact"
    NEED_DONE = "need_done"
    NEIGHBOUR_GROUP = "neighbour_group"  # 邻里一家亲: the QR of the resident's building group
    TAKE_CARD = "take_card"  # the visit ended with the ID card still on the reader
    MAINTENANCE = "maintenance"  # the technician's screen (PIN)
    # 社区活动: community activities
    ACTIVITIES = "activities"
    ACTIVITY = "activity"
    ACTIVITY_DONE = "activity_done"
    MY_SIGNUPS = "my_signups"
    CHECKIN = "checkin"  # an activity ticket scanned at the kiosk
    # 信酬制: the compound's open accounts
    ACCOUNTS = "accounts"  # an owner: the month's totals, bars, entries, balance, print
    ACCOUNTS_PUBLIC = "accounts_public"  # anyone else: only which compounds publish
    # 社区组织: the approved organisations; 申请备案 (file one) and my applications
    ORGS = "orgs"
    ORG_KIND = "org_kind"
    ORG_FORM = "org_form"
    ORG_CONFIRM = "org_confirm"
    ORG_DONE = "org_done"
    ORG_MINE = "org_mine"
    # 小区议事堂: the compound council's proposals, support, raise one
    COUNCIL = "council"  # the resident's compound's proposals
    COUNCIL_PROPOSAL = "council_proposal"  # one: support it, print its status
    COUNCIL_CATEGORY = "council_category"
    COUNCIL_WRITE = "council_write"  # title and words (phrases, pinyin, handwriting)
    COUNCIL_PHOTO = "council_photo"  # a photo from the kiosk camera (optional)
    COUNCIL_CONFIRM = "council_confirm"
    COUNCIL_DONE = "council_done"


# Screens that never hold a resident's details: no idle warning there.
RESTING = frozenset({Step.ATTRACT, Step.HOME, Step.THANKS, Step.TAKE_CARD})


BACK: dict[Step, Step] = {
    Step.COMMUNITY: Step.HOME,
    Step.CHOOSE_PURPOSE: Step.CHOOSE_TYPE,
    Step.CONFIRM: Step.CHOOSE_PURPOSE,
    Step.CERT_FIELDS: Step.CHOOSE_PURPOSE,
    Step.SCAN_RESIDENT: Step.WAIT_CARD,
    Step.REQ_SPOT: Step.REQ_PLACE,
    Step.REQ_DESCRIBE: Step.REQ_SPOT,
    Step.REQ_PHOTO: Step.REQ_DESCRIBE,
    Step.REQ_CONTACT: Step.REQ_PHOTO,
    Step.REQ_CONFIRM: Step.REQ_CONTACT,
    Step.ACTIVITY: Step.ACTIVITIES,
    Step.NEED_URGENCY: Step.NEED_KIND,
    Step.NEED_CONTACT: Step.NEED_URGENCY,
    Step.ORG_FORM: Step.ORG_KIND,
    Step.ORG_CONFIRM: Step.ORG_FORM,
    Step.COUNCIL_PROPOSAL: Step.COUNCIL,
    Step.COUNCIL_CATEGORY: Step.COUNCIL,
    Step.COUNCIL_WRITE: Step.COUNCIL_CATEGORY,
    Step.COUNCIL_PHOTO: Step.COUNCIL_WRITE,
    Step.COUNCIL_CONFIRM: Step.COUNCIL_PHOTO,
}

# What the resident is told when the reader refuses a card (card.rejected's reason).
CARD_PROBLEMS: dict[str, str] = {
    "expired": N_("This ID card has expired. Please use a valid card."),
    "invalid_number": N_("This card's ID number is not valid. Please ask the staff."),
    "card_removed": N_("The card was taken away too soon. Please place it again and hold it still."),
}
CARD_PROBLEM_DEFAULT = N_("The card could not be read. Please place it again.")


@dataclass
class RequestDraft:
    """我要反映: what the resident has chosen so far (personal: cleared with the visit)."""

    categories: list[TicketCategory] = field(default_factory=list)
    places: Places | None = None
    category: TicketCategory | None = None
    anonymous: bool = False
    place_kind: str = ""  # building | public
    building: str = ""
    unit: str = ""
    landmark: str = ""
    phrases: list[str] = field(default_factory=list)  # ready-phrase codes, in the order touched
    text: str = ""
    photo: bytes | None = None  # the photo to send
    preview: bytes | None = None  # a photo just taken, not yet accepted
    photo_problem: str | None = None  # msgid: why there is no photo
    phone: str = ""
    confidential: bool | None = None  # None: not chosen yet
    idempotency_key: str | None = None
    ticket: TicketView | None = None
    slip_printed: bool = False
    slip_problem: Text | None = None  # why the slip did not print


@dataclass
class ProgressState:
    """进度查询: the requests found (personal)."""

    tickets: list[TicketView] = field(default_factory=list)
    ticket: TicketView | None = None
    token: str = ""  # the scanned slip's QR: rating by it needs no identity


@dataclass
class RatingTarget:
    """What a rating is for: a certificate just printed, or a closed request."""

    kind: str  # certificate | ticket
    id: str  # certificate id or ticket number
    title: Text  # the service in the resident's words
    token: str = ""  # a ticket's slip QR or a certificate's pickup QR (rating without identity)
    follow_up: bool = False  # the one follow-up rating of a reopened request (追评)


@dataclass
class RatingState:
    target: RatingTarget | None = None
    level: int | None = None
    reasons: list[str] = field(default_factory=list)
    problem: Text | None = None
    done: bool = False  # rated (or the station says it already was)


@dataclass
class VolunteerState:
    """志愿者签到: the volunteer found and what was done (personal: cleared with the visit)."""

    kinds: list[DutyKind] = field(default_factory=list)
    info: VolunteerInfo | None = None
    problem: Text | None = None  # why there is no volunteer (not in the register)
    duty: Duty | None = None  # the duty just signed in to or out of
    hours: HoursRecord | None = None
    hours_printed: bool = False
    hotline_shown: bool = False  # 紧急求助 touched: the number shows (and was printed)
    checkin: Checkin | None = None
    needs: list[NeedView] = field(default_factory=list)
    need: NeedDraft = field(default_factory=lambda: NeedDraft())
    group: NeighbourGroup | None = None  # 邻里一家亲 of the resident's building
    group_missing: Text | None = None  # why there is none (group.none)


@dataclass
class NeedDraft:
    """物资需求登记 being filled in (personal: cleared with the visit)."""

    kind: str = ""
    urgency: str = ""
    phone: str = ""
    phrases: list[str] = field(default_factory=list)  # codes of NEED_PHRASES (journeys/emergency_need.py)
    idempotency_key: str | None = None  # one per registration; a retry re-sends it
    registered: NeedView | None = None  # the station's answer: the need number


@dataclass
class MaintenanceState:
    """The technician's screen: devices only, never a resident's data."""

    components: list[Component] = field(default_factory=list)
    faults: tuple[Fault, ...] = ()
    history: list[DeviceEvent] = field(default_factory=list)
    last_scan: str = ""  # the last code's prefix and length, never its content
    message: Text | None = None  # the last test's outcome


@dataclass
class FlowState:
    """What the screens show. Everything below ``session_id`` is personal and cleared together."""

    step: Step = Step.ATTRACT
    busy: str | None = None  # msgid saying what the kiosk is waiting for, or None
    station: StationInfo | None = None
    connected: bool = False  # the station's event stream is up
    paused: bool = False  # the station has been away a while: 暂停服务，正在恢复 over everything
    notices: tuple[Notice, ...] = ()  # community notices from the platform (via the station)
    emergency: EmergencyInfo | None = None  # emergency mode (战时), polled with the station
    card_on_reader: bool = False  # the ID card reader says a card is lying on it
    card_left: bool = False  # ...one that lay there before this visit: it will not identify anyone
    after_card: Step = Step.HOME  # where the take-your-card reminder goes once the card is taken
    # The visit's choices: kept while the resident is here, reset when the visit ends.
    elderly: bool = False  # 长辈模式: larger text, higher contrast, fewer items, slower timeouts
    muted: bool = False  # no spoken instructions
    dialog: Dialog | None = None  # a question or explanation over the screen
    entry: Entry | None = None  # an on-screen keyboard over the screen
    service: str | None = None  # the service of the visit under way (certificates | verify)
    session_id: str | None = None
    types: list[CertificateType] = field(default_factory=list)
    identity: Identity | None = None
    card_problem: str | None = None  # msgid
    reading_card: bool = False
    cert_type: CertificateType | None = None
    purpose: str | None = None
    idempotency_key: str | None = None
    certificate: Certificate | None = None
    problem: Problem | None = None
    verification: VerificationResult | None = None
    scan_problem: str | None = None  # msgid: why the last scan gave nothing to check
    scan_error: Text | None = None  # the station's words when it refused a scanned code
    outcomes: tuple[Outcome, ...] = ()  # decisions on the resident's applications, told once
    promotions: tuple[Promotion, ...] = ()  # moves up from an activity's waiting list, told once
    fields: dict[str, str] = field(default_factory=dict)  # what the resident typed for the type
    field_problem: str | None = None  # msgid
    application: Application | None = None
    phone_link: PhoneLink | None = None
    pickup_token: str = ""
    pickup_problem: Text | None = None  # not approved yet / rejected (with the reason)
    request: RequestDraft = field(default_factory=RequestDraft)
    progress: ProgressState = field(default_factory=ProgressState)
    rating: RatingState = field(default_factory=RatingState)
    maintenance: MaintenanceState | None = None
    volunteer: VolunteerState = field(default_factory=VolunteerState)
    activities: ActivitiesState = field(default_factory=ActivitiesState)
    accounts: AccountsState = field(default_factory=AccountsState)
    organisations: OrganisationsState = field(default_factory=OrganisationsState)
    council: CouncilState = field(default_factory=CouncilState)

    def clear_personal(self) -> None:
        """Forget the session and everything about the resident."""
        self.session_id = None
        self.types = []
        self.identity = None
        self.card_problem = None
        self.reading_card = False
        self.cert_type = None
        self.purpose = None
        self.idempotency_key = None
        self.certificate = None
        self.problem = None
        self.busy = None
        self.verification = None
        self.scan_problem = None
        self.dialog = None
        self.entry = None
        self.service = None
        self.scan_error = None
        self.outcomes = ()
        self.promotions = ()
        self.organisations = OrganisationsState()
        self.fields = {}
        self.field_problem = None
        self.application = None
        self.phone_link = None
        self.pickup_token = ""
        self.pickup_problem = None
        self.request = RequestDraft()
        self.progress = ProgressState()
        self.rating = RatingState()
        self.maintenance = None
        self.volunteer = VolunteerState()
        self.activities = ActivitiesState()
        self.accounts = AccountsState()
        self.council = CouncilState()

    def end_visit(self) -> None:
        """Forget everything about the visit, including its display choices."""
        self.clear_personal()
        self.elderly = False
        self.muted = False


def new_idempotency_key() -> str:
    """Return a fresh key for one confirmation ([A-Za-z0-9_-], 22 characters)."""
    return secrets.token_urlsafe(16)
