"""Which worker runs the periodic sweep: one at a time across workers on one PostgreSQL.

Every worker runs the sweep loop; before each round it asks ``Leadership.held()``. On PostgreSQL
the answer is a session-level advisory lock (``pg_try_advisory_lock``) kept on a connection of its
own: the worker that holds it sweeps, the others skip their round. If that worker stops — or its
connection dies with it — PostgreSQL releases the lock and the next worker to ask takes over
within one sweep period. The sweep is also safe to run twice (row locks, "only if still due"), so
the lock saves work and duplicate notes, it does not guard correctness.

SQLite is one process's database (the embedded demo): the worker always holds it.
"""

from __future__ import annotations

import logging

from sqlalchemy import Connection, Engine, text

log = logging.getLogger(__name__)

# An arbitrary, fixed 64-bit key: the same in every worker of the platform ("kiosksw" in ASCII).
SWEEP_LOCK_KEY = 0x6B696F736B7377


class Leadership:
    """The sweep's advisory lock, taken when free and kept until ``release``."""

    def __init__(self, engine: Engine, key: int = SWEEP_LOCK_KEY) -> None:
        self._engine = engine
        self._key = key
        self._connection: Connection | None = None

    @property
    def shared(self) -> bool:
        """Whether other workers may share the database (PostgreSQL)."""
        return self._engine.dialect.name == "postgresql"

    def held(self) -> bool:
        """Hold the lock now (taking it if free); False if another worker holds it."""
        if not self.shared:
            return True
        try:
            if self._connection is not None and self._still_mine(self._connection):
                return True
            self._drop()
            connection = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            if connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": self._key}).scalar():
                self._connection = connection
                log.info("this worker now runs the periodic sweep")
                return True
            connection.close()
        except Exception:  # a database hiccup: not the leader this round; ask again next round
            log.exception("could not ask for the sweep lock")
            self._drop()
        return False

    def release(self) -> None:
        """Give the lock up (a stopping worker), so another takes over at once."""
        if self._connection is not None:
            try:
                self._connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": self._key})
            except Exception:
                log.warning("could not release the sweep lock; closing its connection releases it")
            self._drop()

    def _still_mine(self, connection: Connection) -> bool:
        # A restarted database or a killed backend loses the lock with the connection: check.
        query = text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                     "AND pid = pg_backend_pid() AND ((classid::bigint << 32) | objid::bigint) = :key")
        return bool(connection.execute(query, {"key": self._key}).scalar())

    def _drop(self) -> None:
        if self._connection is not None:
            # Invalidated, not returned to the pool: a pooled connection would keep the lock.
            try:
                self._connection.invalidate()
                self._connection.close()
            except Exception:
                log.debug("closing the sweep lock's connection failed", exc_info=True)
            self._connection = None
