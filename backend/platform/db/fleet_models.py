"""What stations report of themselves: their current state, components, heartbeat history, and the
alerts these open."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, BigId, UtcDateTime


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
