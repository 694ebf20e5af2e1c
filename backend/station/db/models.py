"""Station records. Facts the platform must learn are written with an outbox row in the same
transaction (see services/outbox.py). ID numbers never appear in clear: a keyed hash for lookup,
AES-GCM ciphertext for the rare need to read one back, and the masked form for display."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.shared.sealed import SealedDate

from .base import Base, UtcDateTime


class Resident(Base):
    """A person in the community register, as the station last received it."""

    __tablename__ = "residents"

    id: Mapped[int] = mapped_column(primary_key=True)
    id_hash: Mapped[str] = mapped_column(String(64), unique=True)
    id_cipher: Mapped[bytes | None] = mapped_column(LargeBinary)  # None: from the platform's register
    id_masked: Mapped[str] = mapped_column(String(24))
    name: Mapped[str] = mapped_column(String(64))
    sex: Mapped[str] = mapped_column(String(8))
    birth_sealed: Mapped[bytes] = mapped_column(LargeBinary)  # AES-GCM, like id_cipher: never in clear
    birth_date = SealedDate("birth_sealed")
    building: Mapped[str] = mapped_column(String(16))
    unit: Mapped[str] = mapped_column(String(16))
    room: Mapped[str] = mapped_column(String(16))
    household: Mapped[str] = mapped_column(String(32))
    registered_since: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))  # active, moved_out, deceased
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class SerialCounter(Base):
    """The last serial number given per community and year."""

    __tablename__ = "serial_counters"

    community_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer, default=0)


class Certificate(Base):
    """An issued certificate and where it is in its life."""

    __tablename__ = "certificates"
    __table_args__ = (UniqueConstraint("community_code", "serial"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(80), unique=True)
    request_fingerprint: Mapped[str] = mapped_column(String(64))
    serial: Mapped[str] = mapped_column(String(32))
    identifier: Mapped[str] = mapped_column(String(128), unique=True)
    type_code: Mapped[str] = mapped_column(String(32))
    community_code: Mapped[str] = mapped_column(String(32))
    holder_name: Mapped[str] = mapped_column(String(64))
    holder_id_hash: Mapped[str] = mapped_column(String(64), index=True)
    holder_id_masked: Mapped[str] = mapped_column(String(24))
    purpose: Mapped[str] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(16), index=True)
    token: Mapped[str] = mapped_column(Text)
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    print_count: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)

    transitions: Mapped[list[CertificateTransition]] = relationship(
        back_populates="certificate", order_by="CertificateTransition.id"
    )


class CertificateTransition(Base):
    """One step in a certificate's life: who moved it, when and why."""

    __tablename__ = "certificate_transitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[str] = mapped_column(ForeignKey("certificates.id"), index=True)
    from_state: Mapped[str | None] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(255), default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime)

    certificate: Mapped[Certificate] = relationship(back_populates="transitions")


class PrintJob(Base):
    """One attempt to print something, and how it ended."""

    __tablename__ = "print_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[str | None] = mapped_column(ForeignKey("certificates.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # certificate, selftest, slip
    printer_url: Mapped[str] = mapped_column(String(255))
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    result: Mapped[str] = mapped_column(String(16))  # printing, printed, failed
    error_code: Mapped[str] = mapped_column(String(64), default="")
    bytes_sent: Mapped[int] = mapped_column(Integer, default=0)


class OutboxEvent(Base):
    """A fact for the platform, numbered in the order it happened at this station."""

    __tablename__ = "outbox"
    # AUTOINCREMENT: a sequence number is never reused, even after rows are purged.
    __table_args__ = ({"sqlite_autoincrement": True},)

    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    event_type: Mapped[str] = mapped_column(String(64))
    aggregate_id: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)


class SyncState(Base):
    """Small values of the sync with the platform: the changes cursor, suspension, the catalog."""

    __tablename__ = "sync_state"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class PlatformCommand(Base):
    """A command received from the platform, run once; its result goes back through the outbox."""

    __tablename__ = "platform_commands"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    ok: Mapped[bool | None] = mapped_column()


class StationNotice(Base):
    """A notice from the platform for the kiosk to show."""

    __tablename__ = "notices"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class RevokedCertificate(Base):
    """A revocation from the platform: verifying refuses (issuer, serial)."""

    __tablename__ = "revocations"

    issuer: Mapped[str] = mapped_column(String(64), primary_key=True)
    serial: Mapped[str] = mapped_column(String(32), primary_key=True)
    identifier: Mapped[str] = mapped_column(String(128), default="")
    reason: Mapped[str] = mapped_column(String(255), default="")
    revoked_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Application(Base):
    """An application for a certificate that a staff member must approve first.

    applied -> approved (a certificate is issued at once) | rejected; the resident collects the
    certificate at any hour with the pickup QR on the application slip.
    """

    __tablename__ = "applications"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(80), unique=True)
    request_fingerprint: Mapped[str] = mapped_column(String(64))
    pickup_code: Mapped[str] = mapped_column(String(16), unique=True)
    type_code: Mapped[str] = mapped_column(String(32))
    community_code: Mapped[str] = mapped_column(String(32))
    holder_name: Mapped[str] = mapped_column(String(64))
    holder_id_hash: Mapped[str] = mapped_column(String(64), index=True)
    holder_id_masked: Mapped[str] = mapped_column(String(24))
    purpose: Mapped[str] = mapped_column(String(64))
    resident_fields: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(16), index=True)
    decision_reason: Mapped[str] = mapped_column(String(255), default="")
    decided_by: Mapped[str] = mapped_column(String(64), default="")
    resident_told: Mapped[bool] = mapped_column(default=False)
    certificate_id: Mapped[str | None] = mapped_column(ForeignKey("certificates.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ApplicationTransition(Base):
    """One step of an application: who moved it, when and why."""

    __tablename__ = "application_transitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), index=True)
    from_state: Mapped[str | None] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(255), default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime)


class UsedIdentityToken(Base):
    """A resident QR code already used: each works once, until it expires."""

    __tablename__ = "used_identity_tokens"

    token_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
