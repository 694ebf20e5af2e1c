"""Platform records of the organisation and its stations: the org tree, stations and their enrolment,
signed-request nonces, what stations sent up (events, gaps) and what goes down to them (changes,
commands, notices, published values)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, BigId, UtcDateTime


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
