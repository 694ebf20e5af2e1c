"""Applications for certificates that need a staff member's approval, as the platform sees them.

The station owns the application (it was made at the kiosk, and the certificate is issued there);
the platform keeps what the station reported and the decisions its staff sent down.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UtcDateTime


class ApplicationRecord(Base):
    """applied -> approved | rejected; ``delivery`` follows a platform decision to the station:
    sent -> applied | conflict (the station had decided otherwise; its state stands) | failed."""

    __tablename__ = "applications"
    __table_args__ = (Index("ix_applications_community_state", "community_code", "state"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    station_id: Mapped[str] = mapped_column(ForeignKey("stations.id"), index=True)
    community_code: Mapped[str] = mapped_column(String(32))
    type_code: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(16))  # applied, approved, rejected
    holder_name: Mapped[str] = mapped_column(String(64))
    holder_id_masked: Mapped[str] = mapped_column(String(24))
    purpose: Mapped[str] = mapped_column(String(64))
    resident_fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    reason: Mapped[str] = mapped_column(String(255), default="")
    certificate_id: Mapped[str | None] = mapped_column(String(36))
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime)  # when the resident applied
    decided_by: Mapped[str] = mapped_column(String(64), default="")
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    decided_on: Mapped[str] = mapped_column(String(16), default="")  # platform, station
    delivery: Mapped[str] = mapped_column(String(16), default="")  # "", sent, applied, conflict, failed
    delivery_detail: Mapped[str] = mapped_column(String(255), default="")
    change_cursor: Mapped[int | None] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
