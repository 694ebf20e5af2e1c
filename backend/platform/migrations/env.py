"""Alembic environment for the platform database (run through backend.shared.migrations)."""

from __future__ import annotations

from backend.platform.db import (
    certificate_models,  # noqa: F401  (the applications table)
    release_models,  # noqa: F401  (releases and rollouts)
    ticket_models,  # noqa: F401  (the ticket tables join Base.metadata)
)
from backend.platform.db.models import Base
from backend.shared.migrations import run_environment

run_environment(Base.metadata)  # batch mode only where it is needed: SQLite
