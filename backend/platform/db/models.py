"""Platform records: the organisation tree, stations and what they report, changes for stations,
staff, and the audit log. ID numbers never appear: the register holds keyed hashes and masks."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, BigId, UtcDateTime

# ---- organisation and stations -------------------------------------------------------------------


class OrgUnit(Base):
    """A node of city → district → street → community → grid; ``path`` finds descendants."""

    __tablename__ = "org_units"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    level: Mapped[str] = mapped_column(String(16))  # city, district, street, community, grid
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("org_units.code"))
    name_zh: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(128))
    path: Mapped[str] = mapped_column(String(255), index=True)  # "/460100/460107/…/"
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Station(Base):
    """A kiosk registered under a community; enrolled once its keys are known."""

    __tablename__ = "stations"
    __table_args__ = (UniqueConstraint("community_code", "station_code"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    community_code: Mapped[str] = mapped_column(ForeignKey("org_units.code"), index=True)
    station_code: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16), default="created")  # created, enrolled, retired
    request_key: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    certificate_keys: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    enrolled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_applied_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    events_applied: Mapped[int] = mapped_column(BigInteger, default=0)
    duplicates: Mapped[int] = mapped_column(BigInteger, default=0)
    gaps: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class EnrolmentCode(Base):
    """A one-time code that lets one station register its keys; only its hash is kept."""

    __tablename__ = "enrolment_codes"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    station_id: Mapped[str] = mapped_column(ForeignKey("stations.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class RequestNonce(Base):
    """A nonce a signed request used; a second use is a replay. Pruned after the window."""

    __tablename__ = "request_nonces"

    keyid: Mapped[str] = mapped_column(String(64), primary_key=True)
    nonce: Mapped[str] = mapped_column(String(64), primary_key=True)
    created: Mapped[int] = mapped_column(BigInteger, index=True)  # the signature's unix time


# ---- what stations report ----------------------------------------------------------------------------


class StationEvent(Base):
    """An outbox event received from a station, applied exactly once: (station_id, seq) is unique."""

    __tablename__ = "station_events"
    __table_args__ = (UniqueConstraint("station_id", "seq"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    station_id: Mapped[str] = mapped_column(ForeignKey("stations.id"))
    seq: Mapped[int] = mapped_column(BigInteger)
    type: Mapped[str] = mapped_column(String(64))
    aggregate_id: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
    outcome: Mapped[str] = mapped_column(String(16), default="applied")  # applied, rejected, ignored
    reason: Mapped[str] = mapped_column(String(128), default="")


class SyncGap(Base):
    """Sequence numbers a station skipped: recorded for monitoring, closed if they arrive late."""

    __tablename__ = "sync_gaps"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    station_id: Mapped[str] = mapped_column(ForeignKey("stations.id"), index=True)
    first_seq: Mapped[int] = mapped_column(BigInteger)
    last_seq: Mapped[int] = mapped_column(BigInteger)
    detected_at: Mapped[datetime] = mapped_column(UtcDateTime)


class CertificateRecord(Base):
    """The district's registry of certificates, as stations report them."""

    __tablename__ = "certificates"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    station_id: Mapped[str] = mapped_column(ForeignKey("stations.id"), index=True)
    community_code: Mapped[str] = mapped_column(String(32), index=True)
    serial: Mapped[str] = mapped_column(String(32), index=True)
    identifier: Mapped[str] = mapped_column(String(128), unique=True)
    type_code: Mapped[str] = mapped_column(String(32))
    holder_id_masked: Mapped[str] = mapped_column(String(24), index=True)
    purpose: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16))
    # What the resident's phone copy is rendered from (the same text and QR as the paper).
    holder_name: Mapped[str] = mapped_column(String(64), default="", server_default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, server_default="{}")
    token: Mapped[str] = mapped_column(Text, default="", server_default="")
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    print_count: Mapped[int] = mapped_column(Integer, default=0)
    print_failures: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(String(64), default="")
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Revocation(Base):
    """A certificate no longer valid: (issuer station, serial) as verifiers check it."""

    __tablename__ = "revocations"
    __table_args__ = (UniqueConstraint("issuer", "serial"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    issuer: Mapped[str] = mapped_column(String(64))
    serial: Mapped[str] = mapped_column(String(32))
    identifier: Mapped[str] = mapped_column(String(128), default="")
    reason: Mapped[str] = mapped_column(String(255))
    revoked_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked_by: Mapped[str] = mapped_column(String(64))


class StationState(Base):
    """The station's current state, from its last heartbeat and events."""

    __tablename__ = "station_states"

    station_id: Mapped[str] = mapped_column(ForeignKey("stations.id"), primary_key=True)
    last_seen: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    version: Mapped[str] = mapped_column(String(32), default="")
    uptime_seconds: Mapped[float] = mapped_column(default=0.0)
    service_state: Mapped[str] = mapped_column(String(16), default="UNKNOWN")
    service_reason: Mapped[str | None] = mapped_column(String(255))
    paper_level: Mapped[str] = mapped_column(String(16), default="unknown")
    outbox_depth: Mapped[int] = mapped_column(BigInteger, default=0)
    outbox_oldest_age_seconds: Mapped[float] = mapped_column(default=0.0)
    disk_free_bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    counters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    services: Mapped[list[Any]] = mapped_column(JSON, default=list)
    consecutive_print_failures: Mapped[int] = mapped_column(Integer, default=0)
    cursor: Mapped[int] = mapped_column(BigInteger, default=0)
    # What the last heartbeat said that can open, resolve or show something (services, components,
    # paper, version, alert thresholds), hashed: an unchanged heartbeat only touches the row.
    digest: Mapped[str] = mapped_column(String(64), default="")
    history_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # last history row written


class ComponentState(Base):
    """A station's component as last reported (heartbeat or component.status event)."""

    __tablename__ = "component_states"

    station_id: Mapped[str] = mapped_column(ForeignKey("stations.id"), primary_key=True)
    component_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), default="")
    state: Mapped[str] = mapped_column(String(16))
    code: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str] = mapped_column(String(255), default="")
    simulated: Mapped[bool] = mapped_column(Boolean, default=False)
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime)


class HeartbeatRecord(Base):
    """One heartbeat as received: the station's history."""

    __tablename__ = "heartbeats"
    __table_args__ = (Index("ix_heartbeats_station_received", "station_id", "received_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    station_id: Mapped[str] = mapped_column(ForeignKey("stations.id"))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)


class Alert(Base):
    """Something wrong at a station; resolves itself when the cause clears.

    ``open_marker`` is 1 while open and NULL once resolved, so the unique constraint allows one
    open alert per station and kind however many workers notice the cause at once.
    """

    __tablename__ = "alerts"
    __table_args__ = (UniqueConstraint("station_id", "kind", "open_marker"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    station_id: Mapped[str] = mapped_column(ForeignKey("stations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    severity: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str] = mapped_column(String(255), default="")
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    open_marker: Mapped[int | None] = mapped_column(Integer, default=1)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    acknowledged_by: Mapped[str | None] = mapped_column(String(64))
    assigned_to: Mapped[str | None] = mapped_column(String(64))


# ---- down: changes for stations ---------------------------------------------------------------------


class ChangeRecord(Base):
    """A change stations pull by cursor. Cursors come from ``change_counter`` under its row lock,
    so they are committed in the order they are numbered and a reader never skips one."""

    __tablename__ = "changes"
    __table_args__ = (Index("ix_changes_scope_cursor", "scope", "cursor"),)

    cursor: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(16))
    scope: Mapped[str] = mapped_column(String(80))  # district, community:<code>, station:<id>
    key: Mapped[str] = mapped_column(String(80))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ChangeCounter(Base):
    __tablename__ = "change_counter"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class Command(Base):
    """A staff command to one station, delivered as a change; the station reports its result."""

    __tablename__ = "commands"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    station_id: Mapped[str] = mapped_column(ForeignKey("stations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending, done, failed
    change_cursor: Mapped[int] = mapped_column(BigInteger)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Resident(Base):
    """A community register entry: a keyed hash and the masked number, never the number."""

    __tablename__ = "residents"
    __table_args__ = (UniqueConstraint("community_code", "id_hash"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    community_code: Mapped[str] = mapped_column(ForeignKey("org_units.code"))
    id_hash: Mapped[str] = mapped_column(String(64))
    id_masked: Mapped[str] = mapped_column(String(24))
    name: Mapped[str] = mapped_column(String(64))
    sex: Mapped[str] = mapped_column(String(8))
    birth_date: Mapped[date] = mapped_column(Date)
    building: Mapped[str] = mapped_column(String(16))
    unit: Mapped[str] = mapped_column(String(16))
    room: Mapped[str] = mapped_column(String(16))
    household: Mapped[str] = mapped_column(String(32))
    since: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Notice(Base):
    __tablename__ = "notices"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    scope: Mapped[str] = mapped_column(String(80))
    title: Mapped[dict[str, Any]] = mapped_column(JSON)
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class KeyValue(Base):
    """Small platform-wide values: the published catalog's digest, the trust list's."""

    __tablename__ = "key_values"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(JSON)


# ---- staff ---------------------------------------------------------------------------------------------


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))  # staff, technician, admin
    org_code: Mapped[str] = mapped_column(ForeignKey("org_units.code"))
    display_name: Mapped[str] = mapped_column(String(64), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # Set for a password an administrator chose (a new user, a reset): the user must choose their own.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class AuthToken(Base):
    """A bearer token; only its SHA-256 is stored."""

    __tablename__ = "auth_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class AuditEntry(Base):
    """Who did what to which target, and when."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(String(128))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    source: Mapped[str] = mapped_column(Text, default="")
    # The organisation unit the entry belongs to: only users at or above it read it (None: the top).
    org_code: Mapped[str | None] = mapped_column(String(32), index=True)
