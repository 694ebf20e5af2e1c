"""Alembic environment for the platform database (run through backend.shared.migrations)."""

from __future__ import annotations

from backend.platform.db.models import Base  # every domain's models, so the metadata is whole
from backend.shared.migrations import run_environment

run_environment(Base.metadata)  # batch mode only where it is needed: SQLite
