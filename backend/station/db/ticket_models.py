"""Residents' requests and ratings as the station keeps them: the tickets filed here (with their
outbox events, so they survive being offline) and the status of the community's tickets as the
platform last sent it, for 进度查询. A phone number is kept sealed for the platform and masked;
a rating names the service, never the resident."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UtcDateTime


class LocalTicket(Base):
    """A ticket filed here, or one of the community's that the platform told us about."""

    __tablename__ = "tickets"

    ticket_no: Mapped[str] = mapped_column(String(40), primary_key=True)
    idempotency_key: Mapped[str | None] = mapped_column(String(80), unique=True)
    fingerprint: Mapped[str] = mapped_column(String(64), default="")
    filed_here: Mapped[bool] = mapped_column(Boolean, default=True)
    category: Mapped[str] = mapped_column(String(32))
    suggested_grade: Mapped[str] = mapped_column(String(16), default="normal")
    place: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    phrases: Mapped[list[str]] = mapped_column(JSON, default=list)
    free_text: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    phone_sealed: Mapped[str | None] = mapped_column(Text)
    phone_masked: Mapped[str] = mapped_column(String(24), default="")
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    owner_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expected_reply_at: Mapped[datetime] = mapped_column(UtcDateTime)
    state: Mapped[str] = mapped_column(String(16))  # pending until the platform answers, then its state
    status: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # the platform's TicketStatus
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class LocalTicketPhoto(Base):
    """The photo taken at the kiosk for a ticket filed here (re-encoded JPEG, no metadata)."""

    __tablename__ = "ticket_photos"

    ticket_no: Mapped[str] = mapped_column(String(40), primary_key=True)
    jpeg: Mapped[bytes] = mapped_column(LargeBinary)
    taken_at: Mapped[datetime] = mapped_column(UtcDateTime)


class TicketCounter(Base):
    """The last ticket number given here per local day."""

    __tablename__ = "ticket_counters"

    day: Mapped[str] = mapped_column(String(8), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


class LocalRating(Base):
    """A rating given here: once per service, and one follow-up rating after a rectification."""

    __tablename__ = "ratings"
    __table_args__ = (UniqueConstraint("target_kind", "target_id", "follow_up"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    target_kind: Mapped[str] = mapped_column(String(16))  # ticket, certificate
    target_id: Mapped[str] = mapped_column(String(64))
    level: Mapped[int] = mapped_column(Integer)
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    follow_up: Mapped[bool] = mapped_column(Boolean, default=False)
    rated_at: Mapped[datetime] = mapped_column(UtcDateTime)
