"""Run Alembic migrations from code, for ``kiosk db upgrade`` and for start-up."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, MetaData, create_engine

from .privacy import IdProtector


def alembic_config(script_location: Path, url: str) -> Config:
    """Return an Alembic configuration for a migrations folder and a database URL."""
    config = Config()
    config.set_main_option("script_location", str(script_location))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(engine: Engine, script_location: Path, revision: str = "head", *,
            protector: IdProtector | None = None) -> None:
    """Bring the database up to ``revision`` inside one connection.

    ``protector`` lets a data migration seal what it must not leave in clear (see
    ``sealing_protector``); a migration that needs it refuses to run without it."""
    config = alembic_config(script_location, engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        config.attributes["protector"] = protector
        command.upgrade(config, revision)


def sealing_protector() -> IdProtector:
    """The protector a running migration was given (for use inside a migration's upgrade())."""
    from alembic import context

    protector = context.config.attributes.get("protector")
    if protector is None:
        raise RuntimeError("this migration seals personal data: run it through `kiosk db upgrade` "
                           "or the service's start, which hold the keys")
    return protector


def pending_revisions(engine: Engine, script_location: Path) -> tuple[str | None, list[str]]:
    """The database's current revision (None when it has none yet) and the revisions an upgrade
    to head would apply."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config(script_location, str(engine.url)))
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    head = script.get_current_head()
    if current == head:
        return current, []
    return current, [rev.revision for rev in script.iterate_revisions(head, current)]


def run_environment(metadata: MetaData, *, batch: bool | None = None) -> None:
    """What a migrations folder's ``env.py`` runs: the migrations on the connection ``upgrade``
    handed over (or on one of their own to the configured URL), compared against ``metadata``.

    ``batch``: rebuild tables instead of ALTER (SQLite cannot ALTER most things); None: on SQLite only."""
    from alembic import context

    def run(connection: Connection) -> None:
        as_batch = connection.dialect.name == "sqlite" if batch is None else batch
        context.configure(connection=connection, target_metadata=metadata,
                          render_as_batch=as_batch, compare_type=True)
        with context.begin_transaction():
            context.run_migrations()

    connection = context.config.attributes.get("connection")
    if connection is not None:
        run(connection)
        return
    with create_engine(context.config.get_main_option("sqlalchemy.url") or "").begin() as own:
        run(own)
