"""Ticket records on the platform: residents' requests, every transition, ratings, duplicate links,
photos, and the api keys of Open311 clients. A ticket's workflow columns carry the names of
``backend.shared.tickets.workflow.TicketSnapshot``; contact details stay sealed; ratings name the
service, never the resident."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, BigId, UtcDateTime


class Ticket(Base):
    """A resident's request (工单), wherever it was filed."""

    __tablename__ = "tickets"
    __table_args__ = (Index("ix_tickets_community_received", "community_code", "received_at"),)

    ticket_no: Mapped[str] = mapped_column(String(40), primary_key=True)
    source: Mapped[str] = mapped_column(String(16))  # station, open311
    station_id: Mapped[str | None] = mapped_column(ForeignKey("stations.id"), index=True)
    community_code: Mapped[str] = mapped_column(ForeignKey("org_units.code"))
    category: Mapped[str] = mapped_column(String(32), index=True)
    chosen_category: Mapped[str] = mapped_column(String(32))
    suggestion: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    place_kind: Mapped[str] = mapped_column(String(16))  # building, public, address
    building: Mapped[str] = mapped_column(String(64), default="")  # for an address: its text
    unit_no: Mapped[str] = mapped_column(String(16), default="")
    landmark: Mapped[str] = mapped_column(String(32), default="")
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    description: Mapped[str] = mapped_column(Text)
    phrases: Mapped[list[str]] = mapped_column(JSON, default=list)
    free_text: Mapped[str] = mapped_column(Text, default="")
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    resident_id_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    resident_id_masked: Mapped[str] = mapped_column(String(24), default="")
    resident_name: Mapped[str] = mapped_column(String(64), default="")
    contact_sealed: Mapped[str | None] = mapped_column(Text)
    phone_masked: Mapped[str] = mapped_column(String(24), default="")
    has_photo: Mapped[bool] = mapped_column(Boolean, default=False)
    open311_token: Mapped[str | None] = mapped_column(String(40), unique=True)
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime)  # the source's clock
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)

    # ---- the workflow (TicketSnapshot's fields) ----
    state: Mapped[str] = mapped_column(String(16), index=True)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
    grade: Mapped[str | None] = mapped_column(String(16))
    assigned_unit: Mapped[str | None] = mapped_column(ForeignKey("org_units.code"), index=True)
    assigned_level: Mapped[str | None] = mapped_column(String(16))
    assigned_role: Mapped[str | None] = mapped_column(String(32))
    arbitration_unit: Mapped[str | None] = mapped_column(ForeignKey("org_units.code"))
    returns: Mapped[int] = mapped_column(Integer, default=0)
    extension: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    extensions_granted: Mapped[int] = mapped_column(Integer, default=0)
    reply_due: Mapped[datetime | None] = mapped_column(UtcDateTime)
    sign_due: Mapped[datetime | None] = mapped_column(UtcDateTime)
    rectify_due: Mapped[datetime | None] = mapped_column(UtcDateTime)
    dispatched_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    signed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    replied_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    reopened_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    reply_text: Mapped[str] = mapped_column(Text, default="")
    closure: Mapped[str | None] = mapped_column(String(16))
    closure_reason: Mapped[str | None] = mapped_column(String(32))
    ratings: Mapped[int] = mapped_column(Integer, default=0)
    last_rating: Mapped[int | None] = mapped_column(Integer)
    sign_late: Mapped[bool] = mapped_column(Boolean, default=False)
    reply_late: Mapped[bool] = mapped_column(Boolean, default=False)
    escalation: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)


class TicketTransition(Base):
    """One step of a ticket: who (and of which unit) did what, when, with which note."""

    __tablename__ = "ticket_transitions"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    ticket_no: Mapped[str] = mapped_column(ForeignKey("tickets.ticket_no"), index=True)
    action: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str | None] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(64))
    actor_unit: Mapped[str] = mapped_column(String(32), default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    words: Mapped[dict[str, str] | None] = mapped_column(JSON)  # what residents see; None: internal


class ServiceRating(Base):
    """A resident's rating of a service (a ticket, a certificate): anonymous to the handlers."""

    __tablename__ = "service_ratings"
    __table_args__ = (Index("ix_service_ratings_target", "target_kind", "target_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    target_kind: Mapped[str] = mapped_column(String(16))  # ticket, certificate
    target_id: Mapped[str] = mapped_column(String(64))
    station_id: Mapped[str | None] = mapped_column(ForeignKey("stations.id"), index=True)
    community_code: Mapped[str] = mapped_column(String(32))
    category: Mapped[str] = mapped_column(String(32), default="")  # ticket category or certificate type
    unit: Mapped[str | None] = mapped_column(String(32))  # the unit that handled it
    level: Mapped[int] = mapped_column(Integer)
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    follow_up: Mapped[bool] = mapped_column(Boolean, default=False)
    channel: Mapped[str] = mapped_column(String(16))  # kiosk, callback, open311
    rated_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)


class TicketLink(Base):
    """Two tickets staff judged to be about the same thing (first < second)."""

    __tablename__ = "ticket_links"
    __table_args__ = (UniqueConstraint("first_no", "second_no"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    first_no: Mapped[str] = mapped_column(ForeignKey("tickets.ticket_no"), index=True)
    second_no: Mapped[str] = mapped_column(ForeignKey("tickets.ticket_no"), index=True)
    linked_by: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UtcDateTime)


class TicketPhoto(Base):
    """The photo a resident took at the kiosk (JPEG, re-encoded there)."""

    __tablename__ = "ticket_photos"

    ticket_no: Mapped[str] = mapped_column(ForeignKey("tickets.ticket_no"), primary_key=True)
    jpeg: Mapped[bytes] = mapped_column(LargeBinary)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Open311Key(Base):
    """An api key staff issued to an Open311 client; only its SHA-256 is kept."""

    __tablename__ = "open311_keys"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))  # shown to staff to tell keys apart
    name: Mapped[str] = mapped_column(String(64))
    org_code: Mapped[str] = mapped_column(ForeignKey("org_units.code"))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class TicketCounter(Base):
    """The last ticket number given per day to tickets filed on the platform (Open311, staff)."""

    __tablename__ = "ticket_counters"

    day: Mapped[str] = mapped_column(String(8), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)
