"""Volunteers and emergency mode at the station: the community's volunteers (keyed hashes, as the
platform sends them), duties signed in and out here, what the platform publishes for the kiosk
(each building's neighbour group, emergency areas, needs' status), the needs registered here
(phone sealed to the platform) and check-ins to task groups. Facts go up through the outbox."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UtcDateTime


class LocalVolunteer(Base):
    __tablename__ = "volunteers"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    entry: Mapped[dict[str, Any]] = mapped_column(JSON)  # backend.shared.volunteers.messages.VolunteerEntry
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class LocalDuty(Base):
    """A duty signed in here; ``ended_at`` set by signing out or, marked ``forgotten``, by the clock."""

    __tablename__ = "volunteer_duties"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    volunteer_hash: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    minutes: Mapped[int] = mapped_column(Integer, default=0)
    forgotten: Mapped[bool] = mapped_column(Boolean, default=False)


class PublishedDoc(Base):
    """What the platform published for the kiosk: a building's group (kind "group"), an emergency
    area ("emergency"), a need's status ("need"), kept as received."""

    __tablename__ = "volunteer_docs"

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class LocalNeed(Base):
    """A need registered here (offline too), with its number for the resident's slip."""

    __tablename__ = "emergency_needs"

    need_no: Mapped[str] = mapped_column(String(40), primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(80), unique=True)
    mode_id: Mapped[str] = mapped_column(String(36))
    owner_hash: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    urgency: Mapped[str] = mapped_column(String(16))
    building: Mapped[str] = mapped_column(String(16))
    unit: Mapped[str] = mapped_column(String(16))
    phone_sealed: Mapped[str | None] = mapped_column(Text)
    phone_masked: Mapped[str] = mapped_column(String(24), default="")
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime)


class NeedCounter(Base):
    __tablename__ = "need_counters"

    day: Mapped[str] = mapped_column(String(8), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


class LocalCheckin(Base):
    __tablename__ = "emergency_checkins"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    volunteer_hash: Mapped[str] = mapped_column(String(64), index=True)
    mode_id: Mapped[str] = mapped_column(String(36))
    task_group: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
