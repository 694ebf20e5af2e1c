"""Register imports waiting for a confirmation, and the register as it was before each change."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from backend.shared.sealed import SealedDate

from .base import Base, BigId, UtcDateTime


class RegisterImport(Base):
    """A validated register file (or a kept version to restore) and what it would change; applied
    only when staff confirm it. Rows hold keyed hashes and masked numbers, never an ID number."""

    __tablename__ = "register_imports"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    community_code: Mapped[str] = mapped_column(ForeignKey("org_units.code"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # file | restore
    source: Mapped[str] = mapped_column(String(255), default="")  # file name, or the version restored
    encoding: Mapped[str] = mapped_column(String(16), default="")
    state: Mapped[str] = mapped_column(String(16))  # pending | applied | cancelled
    rows: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    added: Mapped[int] = mapped_column(Integer, default=0)
    changed: Mapped[int] = mapped_column(Integer, default=0)
    removed: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    current: Mapped[int] = mapped_column(Integer, default=0)  # residents in the register at preview
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    decided_by: Mapped[str] = mapped_column(String(64), default="")
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    version_id: Mapped[int | None] = mapped_column(Integer)  # the register kept before applying


class RegisterVersion(Base):
    """A community's whole register as it was just before an import replaced it."""

    __tablename__ = "register_versions"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    community_code: Mapped[str] = mapped_column(ForeignKey("org_units.code"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(255))
    count: Mapped[int] = mapped_column(Integer)
    rows: Mapped[list[dict[str, Any]]] = mapped_column(JSON)


class Resident(Base):
    """A community register entry: a keyed hash and the masked number, never the number."""

    __tablename__ = "residents"
    __table_args__ = (UniqueConstraint("community_code", "id_hash"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    community_code: Mapped[str] = mapped_column(ForeignKey("org_units.code"))
    id_hash: Mapped[str] = mapped_column(String(64))
    id_masked: Mapped[str] = mapped_column(String(24))
    name: Mapped[str] = mapped_column(String(64))
    sex: Mapped[str] = mapped_column(String(8))
    birth_sealed: Mapped[bytes] = mapped_column(LargeBinary)  # AES-GCM with the platform's data key
    birth_date = SealedDate("birth_sealed")
    building: Mapped[str] = mapped_column(String(16))
    unit: Mapped[str] = mapped_column(String(16))
    room: Mapped[str] = mapped_column(String(16))
    household: Mapped[str] = mapped_column(String(32))
    since: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
