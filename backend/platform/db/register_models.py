"""Register imports waiting for a confirmation, and the register as it was before each change."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

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
