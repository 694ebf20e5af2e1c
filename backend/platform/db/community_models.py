"""Community life on the platform: activities and sign-ups, compounds' open ledgers, council
proposals with their supports and meetings, and grassroots organisations' filings. Residents
appear as community-keyed hashes and masks only; a household's support as a keyed hash."""

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
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, BigId, UtcDateTime


class Activity(Base):
    """An activity staff (or an approved organisation) published; times are UTC instants."""

    __tablename__ = "community_activities"
    __table_args__ = (Index("ix_community_activities_community_starts", "community_code", "starts_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    community_code: Mapped[str] = mapped_column(ForeignKey("org_units.code"))
    title: Mapped[str] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(Text, default="")
    organiser: Mapped[str] = mapped_column(String(64), default="")
    organisation_id: Mapped[str | None] = mapped_column(String(40))
    place: Mapped[str] = mapped_column(String(128))
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime)
    capacity: Mapped[int] = mapped_column(Integer)
    audience: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    signup_opens_at: Mapped[datetime] = mapped_column(UtcDateTime)
    signup_closes_at: Mapped[datetime] = mapped_column(UtcDateTime)
    image: Mapped[bytes | None] = mapped_column(LargeBinary)  # a JPEG
    state: Mapped[str] = mapped_column(String(16))  # published, cancelled
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Signup(Base):
    """A resident's place (or waiting place) at an activity: confirmed | waiting | cancelled |
    checked_in. The waiting list is ordered by ``made_at`` (the kiosk's clock), then id."""

    __tablename__ = "community_signups"
    __table_args__ = (Index("ix_community_signups_activity_state", "activity_id", "state"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    activity_id: Mapped[str] = mapped_column(ForeignKey("community_activities.id"))
    community_code: Mapped[str] = mapped_column(String(32))
    station_id: Mapped[str] = mapped_column(String(64))
    owner_hash: Mapped[str] = mapped_column(String(64), index=True)
    name_masked: Mapped[str] = mapped_column(String(64))
    id_masked: Mapped[str] = mapped_column(String(24))
    state: Mapped[str] = mapped_column(String(16))
    promoted: Mapped[bool] = mapped_column(Boolean, default=False)
    made_at: Mapped[datetime] = mapped_column(UtcDateTime)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    checked_in_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    checked_in_via: Mapped[str] = mapped_column(String(80), default="")  # station:<id> | staff:<user>
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class LedgerImport(Base):
    """One accepted import of a compound's month: who, when, which file (never changed)."""

    __tablename__ = "ledger_imports"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    compound: Mapped[str] = mapped_column(String(32), index=True)
    community_code: Mapped[str] = mapped_column(ForeignKey("org_units.code"))
    month: Mapped[str] = mapped_column(String(7))
    filename: Mapped[str] = mapped_column(String(255))
    rows: Mapped[int] = mapped_column(Integer)
    imported_by: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime)


class LedgerEntry(Base):
    """An entry of a published month; append-only: a correction is a new entry that names the
    entry it corrects (``corrects``). Amounts in whole cents: exact on SQLite and PostgreSQL."""

    __tablename__ = "ledger_entries"
    __table_args__ = (
        UniqueConstraint("compound", "voucher"),
        Index("ix_ledger_entries_compound_month", "compound", "month"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    compound: Mapped[str] = mapped_column(String(32))
    community_code: Mapped[str] = mapped_column(String(32))
    month: Mapped[str] = mapped_column(String(7))
    day: Mapped[date] = mapped_column(Date)
    category: Mapped[str] = mapped_column(String(32))
    direction: Mapped[str] = mapped_column(String(8))  # income | expense
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    counterparty: Mapped[str] = mapped_column(String(64), default="")
    voucher: Mapped[str] = mapped_column(String(32))
    corrects: Mapped[str | None] = mapped_column(ForeignKey("ledger_entries.id"), unique=True)
    import_id: Mapped[str] = mapped_column(ForeignKey("ledger_imports.id"))
    line: Mapped[int] = mapped_column(Integer)


class Proposal(Base):
    """A council proposal: open → agenda (threshold reached; a ticket is opened) → decided |
    declined."""

    __tablename__ = "council_proposals"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    compound: Mapped[str] = mapped_column(String(32), index=True)
    community_code: Mapped[str] = mapped_column(String(32))
    station_id: Mapped[str] = mapped_column(String(64))
    category: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text, default="")
    photo: Mapped[bytes | None] = mapped_column(LargeBinary)
    owner_hash: Mapped[str] = mapped_column(String(64))
    name_masked: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16))
    threshold: Mapped[int] = mapped_column(Integer)
    supporters: Mapped[int] = mapped_column(Integer, default=0)
    ticket_no: Mapped[str | None] = mapped_column(String(40))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("council_meetings.id"))
    decision: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[str] = mapped_column(String(64), default="")
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    raised_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ProposalSupport(Base):
    """One household's support: the keyed hash of the household only; once per proposal."""

    __tablename__ = "council_supports"

    proposal_id: Mapped[str] = mapped_column(ForeignKey("council_proposals.id"), primary_key=True)
    household_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    supported_at: Mapped[datetime] = mapped_column(UtcDateTime)


class CouncilMeeting(Base):
    """A council meeting of a compound, with the proposals on its agenda."""

    __tablename__ = "council_meetings"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    compound: Mapped[str] = mapped_column(String(32), index=True)
    community_code: Mapped[str] = mapped_column(String(32))
    held_at: Mapped[datetime] = mapped_column(UtcDateTime)
    place: Mapped[str] = mapped_column(String(128))
    minutes: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Organisation(Base):
    """A grassroots organisation's filing: applied → more_info | approved | refused."""

    __tablename__ = "community_organisations"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)  # the application number
    community_code: Mapped[str] = mapped_column(String(32), index=True)
    station_id: Mapped[str] = mapped_column(String(64), default="")
    name: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    leader_hash: Mapped[str] = mapped_column(String(64))
    leader_name: Mapped[str] = mapped_column(String(64))
    leader_id_masked: Mapped[str] = mapped_column(String(24))
    contact_sealed: Mapped[str | None] = mapped_column(Text)
    contact_masked: Mapped[str] = mapped_column(String(24), default="")
    members: Mapped[int] = mapped_column(Integer)
    activities: Mapped[str] = mapped_column(String(500))
    how_to_join: Mapped[str] = mapped_column(String(255), default="")
    state: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(255), default="")
    decided_by: Mapped[str] = mapped_column(String(64), default="")
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    filed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
