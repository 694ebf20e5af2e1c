"""Database plumbing both backends use: engines for SQLite (WAL) and PostgreSQL (psycopg 3), write
transactions, stable constraint names, and a UTC datetime column type."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from .privacy import IdProtector
from .sealed import PROTECTOR

# Stable constraint names make Alembic migrations (and SQLite batch mode) predictable.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# SQLite lets one writer in at a time and makes the others poll with growing sleeps (up to 100 ms
# each); within one process, writers queue on a lock instead and go in the moment it is free.
# (busy_timeout still covers other processes, such as a CLI tool.)
_WRITE_LOCKS: weakref.WeakKeyDictionary[Engine, threading.RLock] = weakref.WeakKeyDictionary()


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime stored as naive UTC, the same way on every database."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where UTC is required")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def make_engine(url: str) -> Engine:
    """Create an engine: SQLite in WAL mode with a writers' lock, or a PostgreSQL pool."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        _configure_sqlite(engine)
        _WRITE_LOCKS[engine] = threading.RLock()
        return engine
    # No pre-ping: it costs a round trip per checkout (heartbeat p50 +3 ms). After a database
    # restart the first use of each stale connection fails once and the pool is invalidated;
    # clients retry, and their requests are idempotent.
    # Twenty connections kept, none beyond: with ten kept and ten "overflow" ones, every burst past
    # ten requests at once (the worker runs up to 40 in threads) opened connections and closed
    # them on return — about 25 new PostgreSQL sessions a second under a fleet of thousands, each
    # a backend process started, and the statements prepared on it lost. The most at once is
    # the same twenty as before; a request past that waits for one, as it did.
    return create_engine(url, pool_size=20, max_overflow=0, pool_pre_ping=False, pool_recycle=1800)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")  # a power cut must not lose a committed record
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


def make_session_factory(engine: Engine, *, protector: IdProtector | None = None) -> sessionmaker[Session]:
    """Sessions on ``engine``; with ``protector`` they can read and write sealed personal data
    (see ``sealed.py``)."""
    return sessionmaker(engine, expire_on_commit=False, info={PROTECTOR: protector} if protector else {})


def write_lock(engine: Engine) -> threading.RLock | nullcontext[None]:
    """The in-process writers' lock of a SQLite engine (see _WRITE_LOCKS); nothing for PostgreSQL."""
    return _WRITE_LOCKS.get(engine) or nullcontext()


@contextmanager
def write_transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """Open a transaction that commits on success; on SQLite it takes the write lock first
    (BEGIN IMMEDIATE), so numbers allocated inside it never collide."""
    bind = factory.kw.get("bind")
    with write_lock(bind) if isinstance(bind, Engine) else nullcontext(), factory() as session:
        session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"
