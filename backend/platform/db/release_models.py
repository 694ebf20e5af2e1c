"""Releases staff uploaded and rollouts of them to stations (updates over the air)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, BigId, UtcDateTime


class Release(Base):
    """A signed release bundle kept on the platform's disk (``data/releases/kiosk-<version>.tar``)."""

    __tablename__ = "releases"

    version: Mapped[str] = mapped_column(String(32), primary_key=True)
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    manifest: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Rollout(Base):
    """One release to an area or a list of stations: canary first, then the rest, in a window."""

    __tablename__ = "rollouts"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    version: Mapped[str] = mapped_column(ForeignKey("releases.version"), index=True)
    area_code: Mapped[str | None] = mapped_column(String(32))
    canary_percent: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[str] = mapped_column(String(5), default="02:00")
    window_end: Mapped[str] = mapped_column(String(5), default="05:00")
    rollback: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # canary | rolling | paused | aborted | finished
    state: Mapped[str] = mapped_column(String(16), index=True)
    paused_from: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(String(255), default="")
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class RolloutStation(Base):
    """Where one station stands in a rollout: pending, offered, done or failed (with the reason)."""

    __tablename__ = "rollout_stations"

    rollout_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("rollouts.id"), primary_key=True)
    station_id: Mapped[str] = mapped_column(ForeignKey("stations.id"), primary_key=True, index=True)
    community_code: Mapped[str] = mapped_column(String(32), index=True)
    canary: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[str] = mapped_column(String(16), default="pending")
    code: Mapped[str] = mapped_column(String(64), default="")
    reason: Mapped[str] = mapped_column(String(512), default="")
    seconds: Mapped[float | None] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
