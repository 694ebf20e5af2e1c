"""The sync protocol's messages, shared by the station and the platform.

Up (station → platform): enrolment, batches of outbox events, heartbeats. Down (platform →
station): changes by cursor. Every request but enrolment is signed (see httpsig.py).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

PROTOCOL_VERSION = 1
MAX_BATCH = 1000
MAX_BATCH_BYTES = 8 * 1024 * 1024  # the platform refuses a larger batch body (413) before reading it
MAX_CHANGES_PAGE = 1000
STATION_ID = r"^[A-Za-z0-9][A-Za-z0-9_.-]{1,63}$"
EVENT_TYPE = r"^[a-z_]+\.[a-z_]+$"


class EventType(StrEnum):
    """Facts a station reports; appliers on the platform are registered per type."""

    CERTIFICATE_ISSUED = "certificate.issued"
    CERTIFICATE_PRINTED = "certificate.printed"
    CERTIFICATE_PRINT_FAILED = "certificate.print_failed"
    COMPONENT_STATUS = "component.status"
    SERVICE_STATE = "service.state"
    COMMAND_RESULT = "command.result"
    TICKET_SUBMITTED = "ticket.submitted"  # payload: backend.shared.tickets.messages.TicketSubmitted
    RATING_SUBMITTED = "rating.submitted"  # payload: backend.shared.tickets.messages.RatingSubmitted
    CERTIFICATE_EXPIRED = "certificate.expired"  # payload: id, serial, at
    APPLICATION_SUBMITTED = "application.submitted"  # payload: the application (no ID number)
    APPLICATION_DECIDED = "application.decided"  # payload: the application with its decision
    # payload: backend.shared.applications.DecisionReport
    APPLICATION_PLATFORM_DECISION = "application.platform_decision"
    UPDATE_DONE = "update.done"  # payload: rollout_id, version, previous, seconds
    UPDATE_FAILED = "update.failed"  # payload: rollout_id, version, previous, code, reason, seconds
    # Volunteers and emergency mode: payloads in backend.shared.volunteers.messages
    DUTY_STARTED = "duty.started"
    DUTY_ENDED = "duty.ended"
    NEED_REGISTERED = "need.registered"
    GROUP_CHECKED_IN = "group.checked_in"
    # Community life (backend.shared.community.messages): sign-ups, check-ins, council, organisations
    SIGNUP_MADE = "signup.made"
    SIGNUP_CANCELLED = "signup.cancelled"
    SIGNUP_CHECKED_IN = "signup.checked_in"
    PROPOSAL_RAISED = "proposal.raised"
    PROPOSAL_SUPPORTED = "proposal.supported"
    ORGANISATION_FILED = "organisation.filed"


class ChangeKind(StrEnum):
    REGISTER = "register"
    CATALOG = "catalog"
    NOTICE = "notice"
    TRUST = "trust"
    REVOCATION = "revocation"
    TICKET = "ticket"
    COMMAND = "command"
    APPLICATION = "application"  # a staff decision: backend.shared.applications.PlatformDecision
    IDENTITY = "identity"  # the platform's identity keys (JWKS), which sign resident QR codes
    RELEASE_KEYS = "release_keys"  # a release-key rotation statement (backend.shared.releases.trust)
    # Volunteers and emergency mode: payloads in backend.shared.volunteers.messages
    VOLUNTEER = "volunteer"
    NEIGHBOUR_GROUP = "neighbour_group"
    EMERGENCY = "emergency"
    NEED = "need"
    # Community life (backend.shared.community.messages)
    ACTIVITY = "activity"  # an activity as published (district scope: any station checks tickets in)
    SIGNUP = "signup"  # a sign-up's state as the platform decided it (its community's scope)
    ACCOUNTS = "accounts"  # a compound's published ledger month (its community's scope)
    PROPOSAL = "proposal"  # a council proposal's state, support count and decision
    ORGANISATION = "organisation"  # a filed organisation's state (approved ones are listed)


class CommandKind(StrEnum):
    SUSPEND = "suspend"
    RESUME = "resume"
    MAINTENANCE = "maintenance"
    REPRINT = "reprint"
    RESTART = "restart"
    DIAGNOSTICS = "diagnostics"
    SCREENSHOT = "screenshot"  # the kiosk screen as a JPEG, never while a resident is there
    TEST_PRINT = "test_print"  # the printer's sample page


class _Message(BaseModel):
    model_config = ConfigDict(extra="forbid")


# ---- enrolment ------------------------------------------------------------------------------------

class EnrolRequest(_Message):
    code: str = Field(min_length=8, max_length=64)
    request_key: dict[str, Any]  # the station's public request-signing key, an OKP/Ed25519 JWK
    certificate_keys: dict[str, Any]  # the station's certificate-signing public keys, a JWKS
    outbox_start: int = Field(1, ge=1)  # the first outbox seq the platform will receive
    version: str = Field("", max_length=32)


class EnrolResponse(_Message):
    station_id: str
    station_code: str
    name: str
    community_code: str
    community_name: dict[str, str]
    district_code: str
    platform_url: str
    # base64url keys. A resident's hash is HMAC(community key, HMAC(district key, ID number)): the
    # district key is the same at every station (no secret); the community key is only this one's.
    id_hash_key: str
    community_hash_key: str
    contact_key: str  # the platform's X25519 public key: residents' contacts are sealed to it
    heartbeat_seconds: int
    protocol: int = PROTOCOL_VERSION
    identity_keys: dict[str, Any] = Field(default_factory=dict)  # JWKS that signs resident QR codes


# ---- up: outbox events -------------------------------------------------------------------------------

class OutboxEventIn(_Message):
    seq: int = Field(ge=1)
    type: str = Field(pattern=EVENT_TYPE, max_length=64)
    aggregate_id: str = Field(max_length=64)
    payload: dict[str, Any]
    created_at: datetime


class EventBatch(_Message):
    station_id: str = Field(pattern=STATION_ID)
    events: list[OutboxEventIn] = Field(max_length=MAX_BATCH)


class Rejection(_Message):
    seq: int
    reason: str


class BatchAck(_Message):
    acked_seq: int  # every event up to this seq is applied: the station may mark them sent
    applied: int
    duplicates: int
    rejected: list[Rejection] = Field(default_factory=list)
    gaps: list[tuple[int, int]] = Field(default_factory=list)  # (first missing, last missing)


# ---- down: changes by cursor ---------------------------------------------------------------------------

class Change(_Message):
    cursor: int
    kind: ChangeKind
    scope: str  # "district", "community:<code>" or "station:<id>"
    key: str
    payload: dict[str, Any]
    created_at: datetime


class ChangesPage(_Message):
    changes: list[Change]
    next_cursor: int  # give it as ?after= next time
    more: bool


class RegisterEntry(_Message):
    """A resident as the platform publishes it: never the full ID number."""

    id_hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    id_masked: str
    name: str
    sex: str
    birth_date: str
    building: str
    unit: str
    room: str
    household: str
    since: str
    status: str  # active, moved_out, deceased, removed


# ---- heartbeat ------------------------------------------------------------------------------------------

class ComponentReport(_Message):
    id: str
    kind: str = ""
    state: str
    code: str
    detail: str = ""
    simulated: bool = False


class ServiceReport(_Message):
    code: str
    state: str
    reason: str | None = None


class Counters(_Message):
    certificates: int = 0
    requests: int = 0
    scans: int = 0
    print_failures: int = 0


class Heartbeat(_Message):
    station_id: str = Field(pattern=STATION_ID)
    sent_at: datetime
    version: str = Field(max_length=32)
    uptime_seconds: float = Field(ge=0)
    service_state: str  # AVAILABLE, UNAVAILABLE, SUSPENDED (the station as a whole)
    service_reason: str | None = None
    services: list[ServiceReport] = Field(default_factory=list, max_length=32)
    components: list[ComponentReport] = Field(default_factory=list, max_length=32)
    paper_level: str = "unknown"  # ok, low, empty, unknown
    outbox_depth: int = Field(0, ge=0)
    outbox_oldest_age_seconds: float = Field(0, ge=0)
    disk_free_bytes: int = Field(0, ge=0)
    counters: Counters = Field(default_factory=Counters)
    cursor: int = 0


class UpdateOffer(_Message):
    """A release for the station to install (a rollout it is in); see station/updates."""

    rollout_id: int
    version: str = Field(max_length=32)
    size: int = Field(ge=0)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    rollback: bool = False
    window_start: str = "02:00"
    window_end: str = "05:00"


class HeartbeatAck(_Message):
    server_time: datetime
    heartbeat_seconds: int
    offline_after_seconds: int
    update: UpdateOffer | None = None
