"""Alembic environment for the station database (run through backend.shared.migrations)."""

from __future__ import annotations

from backend.shared.migrations import run_environment
from backend.station.db import (  # noqa: F401  (their tables join Base.metadata)
    community_models,
    ticket_models,
    volunteer_models,
)
from backend.station.db.models import Base

run_environment(Base.metadata, batch=True)  # the station's database is SQLite, always rebuilt
