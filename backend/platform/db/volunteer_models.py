"""Volunteers (平时) and emergency mode (战时) on the platform: compounds (小区) and their
buildings, the volunteer register (keyed ID hashes and masks, never a number), duties and their
hours as stations report them, each building's 邻里一家亲 group, emergency areas, the needs
households registered and the volunteers who checked in to a task group."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, BigId, UtcDateTime


class Compound(Base):
    """A residential compound (小区) of a community and the buildings in it."""

    __tablename__ = "compounds"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    community_code: Mapped[str] = mapped_column(ForeignKey("org_units.code"), index=True)
    name_zh: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(128), default="")
    buildings: Mapped[list[str]] = mapped_column(JSON, default=list)


class Volunteer(Base):
    """A committed volunteer: who (keyed hash, mask, name), where they work, which compound, their
    roles (红色队长, 楼栋长, 单元长…), the buildings/units they lead and their task group."""

    __tablename__ = "volunteers"
    __table_args__ = (UniqueConstraint("community_code", "id_hash"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    community_code: Mapped[str] = mapped_column(ForeignKey("org_units.code"))
    id_hash: Mapped[str] = mapped_column(String(64))
    id_masked: Mapped[str] = mapped_column(String(24))
    name: Mapped[str] = mapped_column(String(64))
    employer: Mapped[str] = mapped_column(String(128))
    compound_code: Mapped[str] = mapped_column(ForeignKey("compounds.code"), index=True)
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    leads: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)  # [{building, unit}]
    task_group: Mapped[str] = mapped_column(String(32), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class VolunteerDuty(Base):
    """A duty signed in and out at a station (its id made there: a re-sent event applies once)."""

    __tablename__ = "volunteer_duties"
    __table_args__ = (Index("ix_volunteer_duties_community_started", "community_code", "started_at"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    station_id: Mapped[str] = mapped_column(ForeignKey("stations.id"))
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"), index=True)
    community_code: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(32))
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    minutes: Mapped[int] = mapped_column(Integer, default=0)
    forgotten: Mapped[bool] = mapped_column(Boolean, default=False)


class NeighbourGroup(Base):
    """A building's 邻里一家亲 group: the QR code's text residents scan to join it."""

    __tablename__ = "neighbour_groups"

    community_code: Mapped[str] = mapped_column(ForeignKey("org_units.code"), primary_key=True)
    building: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    qr_text: Mapped[str] = mapped_column(String(512))
    updated_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class EmergencyMode(Base):
    """An area switched into emergency mode (战时): active until ``ended_at``; kept afterwards
    for the after-action report."""

    __tablename__ = "emergency_modes"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    community_code: Mapped[str] = mapped_column(ForeignKey("org_units.code"), index=True)
    scope: Mapped[str] = mapped_column(String(16))  # community | compound | buildings
    compound_code: Mapped[str | None] = mapped_column(String(32))
    buildings: Mapped[list[str]] = mapped_column(JSON, default=list)  # [] for the whole community
    area_name: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    reason: Mapped[str] = mapped_column(String(255))
    message: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    notices: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    hotline: Mapped[str] = mapped_column(String(32))
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    started_by: Mapped[str] = mapped_column(String(64))
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    ended_by: Mapped[str] = mapped_column(String(64), default="")


class EmergencyNeed(Base):
    """A household's need, routed to its building leader and up the command structure when it
    waits too long: open (待接单) → taken (已接单) → delivered (已送达)."""

    __tablename__ = "emergency_needs"
    __table_args__ = (Index("ix_emergency_needs_state_assigned", "state", "assigned_at"),)

    need_no: Mapped[str] = mapped_column(String(40), primary_key=True)
    mode_id: Mapped[str] = mapped_column(ForeignKey("emergency_modes.id"), index=True)
    station_id: Mapped[str] = mapped_column(ForeignKey("stations.id"))
    community_code: Mapped[str] = mapped_column(String(32))
    building: Mapped[str] = mapped_column(String(16))
    unit: Mapped[str] = mapped_column(String(16), default="")
    household: Mapped[str] = mapped_column(String(32), default="")
    kind: Mapped[str] = mapped_column(String(32))
    urgency: Mapped[str] = mapped_column(String(16))
    phrases: Mapped[list[str]] = mapped_column(JSON, default=list)
    owner_hash: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(String(64), default="")
    id_masked: Mapped[str] = mapped_column(String(24), default="")
    contact_sealed: Mapped[str | None] = mapped_column(Text)
    phone_masked: Mapped[str] = mapped_column(String(24), default="")
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime)
    state: Mapped[str] = mapped_column(String(16))  # open, taken, delivered, cancelled
    level: Mapped[str] = mapped_column(String(16))  # building_leader, task_group, command
    assignee: Mapped[str] = mapped_column(String(64), default="")  # volunteer id, group code or "command"
    assigned_at: Mapped[datetime] = mapped_column(UtcDateTime)
    taken_by: Mapped[str] = mapped_column(String(64), default="")
    taken_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    history: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)


class EmergencyCheckin(Base):
    """A volunteer who scanned in at a station and was given a task group."""

    __tablename__ = "emergency_checkins"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    mode_id: Mapped[str] = mapped_column(ForeignKey("emergency_modes.id"), index=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"))
    station_id: Mapped[str] = mapped_column(ForeignKey("stations.id"))
    task_group: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
