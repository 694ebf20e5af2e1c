"""Applications for certificates that need a staff member's approval, as the platform sees them.

The station owns the application (it was made at the kiosk, and the certificate is issued there);
the platform keeps what the station reported and the decisions its staff sent down.
"""

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
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, BigId, UtcDateTime


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


class CertificateRecord(Base):
    """The district's registry of certificates, as stations report them."""

    __tablename__ = "certificates"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    station_id: Mapped[str] = mapped_column(ForeignKey("stations.id"), index=True)
    community_code: Mapped[str] = mapped_column(String(32), index=True)
    serial: Mapped[str] = mapped_column(String(32), index=True)
    identifier: Mapped[str] = mapped_column(String(128), unique=True)
    type_code: Mapped[str] = mapped_column(String(32))
    holder_id_masked: Mapped[str] = mapped_column(String(24), index=True)
    purpose: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16))
    # What the resident's phone copy is rendered from (the same text and QR as the paper).
    holder_name: Mapped[str] = mapped_column(String(64), default="", server_default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, server_default="{}")
    token: Mapped[str] = mapped_column(Text, default="", server_default="")
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    print_count: Mapped[int] = mapped_column(Integer, default=0)
    print_failures: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(String(64), default="")
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Revocation(Base):
    """A certificate no longer valid: (issuer station, serial) as verifiers check it."""

    __tablename__ = "revocations"
    __table_args__ = (UniqueConstraint("issuer", "serial"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    issuer: Mapped[str] = mapped_column(String(64))
    serial: Mapped[str] = mapped_column(String(32))
    identifier: Mapped[str] = mapped_column(String(128), default="")
    reason: Mapped[str] = mapped_column(String(255))
    revoked_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked_by: Mapped[str] = mapped_column(String(64))
