"""Alembic environment for the platform database (run through backend.shared.migrations)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from backend.platform.db import (
    certificate_models,  # noqa: F401  (the applications table)
    community_models,  # noqa: F401  (activities, ledgers, council, organisations)
    release_models,  # noqa: F401  (releases and rollouts)
    ticket_models,  # noqa: F401  (the ticket tables join Base.metadata)
)
from backend.platform.db.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
        with engine.begin() as own_connection:
            _run(own_connection)
    else:
        _run(connection)


def _run(connection: Connection) -> None:
    # Batch mode only where it is needed: SQLite rebuilds tables it cannot ALTER.
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=connection.dialect.name == "sqlite", compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
