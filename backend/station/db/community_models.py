"""Community life as the station keeps it, so the kiosk works offline: the activities the
platform published, sign-ups (made here, or as the platform decided them), check-ins made here,
the community's published ledger months, council proposals and the supports given here, and
organisations' filings. Residents appear as keyed hashes and masks only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UtcDateTime


class LocalActivity(Base):
    """An activity as the platform last published it (the payload without its image)."""

    __tablename__ = "community_activities"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    community_code: Mapped[str] = mapped_column(String(32), index=True)
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime)
    state: Mapped[str] = mapped_column(String(16))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    image: Mapped[bytes | None] = mapped_column(LargeBinary)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class LocalSignup(Base):
    """A sign-up: made here (pending until the platform places it) or as the platform decided.
    ``told``: the resident has been told of a move up from the waiting list."""

    __tablename__ = "community_signups"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    activity_id: Mapped[str] = mapped_column(String(36), index=True)
    owner_hash: Mapped[str] = mapped_column(String(64), index=True)
    idempotency_key: Mapped[str | None] = mapped_column(String(80), unique=True)
    made_here: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[str] = mapped_column(String(16))  # confirmed, waiting, cancelled, checked_in
    position: Mapped[int] = mapped_column(Integer, default=0)
    decided: Mapped[bool] = mapped_column(Boolean, default=False)  # the platform's word arrived
    promoted: Mapped[bool] = mapped_column(Boolean, default=False)
    told: Mapped[bool] = mapped_column(Boolean, default=True)
    made_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class LocalCheckIn(Base):
    """A ticket checked in at this station: once each, offline too (the platform decides between
    stations, first come)."""

    __tablename__ = "community_checkins"

    signup_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    activity_id: Mapped[str] = mapped_column(String(36))
    checked_in_at: Mapped[datetime] = mapped_column(UtcDateTime)


class LocalAccountsMonth(Base):
    """A compound's published month (the platform's AccountsMonth)."""

    __tablename__ = "community_accounts"
    __table_args__ = (UniqueConstraint("compound", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    compound: Mapped[str] = mapped_column(String(32), index=True)
    month: Mapped[str] = mapped_column(String(7))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class LocalProposal(Base):
    """A council proposal: raised here (until the platform's status arrives) or as published."""

    __tablename__ = "community_proposals"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    compound: Mapped[str] = mapped_column(String(32), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    photo: Mapped[bytes | None] = mapped_column(LargeBinary)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class LocalSupport(Base):
    """A household's support given here (the keyed household hash only), refused twice offline."""

    __tablename__ = "community_supports"

    proposal_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    household_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    supported_at: Mapped[datetime] = mapped_column(UtcDateTime)


class LocalOrganisation(Base):
    """An organisation's filing: made here, or as the platform decided it."""

    __tablename__ = "community_organisations"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    leader_hash: Mapped[str] = mapped_column(String(64), index=True)
    state: Mapped[str] = mapped_column(String(16))
    filed_here: Mapped[bool] = mapped_column(Boolean, default=False)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    contact_sealed: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
