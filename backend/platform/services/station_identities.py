"""Who signs sync requests, kept in each worker's memory.

Every signed request needs the station's request key, community and code. Read from the database
each time, that is a transaction of its own (three round trips on PostgreSQL) for a row that
changes only at enrolment. A signature that fails against a remembered key is checked once more
against the database, so a station re-enrolled through another worker is never refused; entries
are also forgotten within ``ttl`` seconds, so whatever else may one day change about a station
(stations are not disabled today) reaches every worker within that time. Each entry lives a
random time between half ``ttl`` and ``ttl``: identities read all at once (a worker's first
minute with a running fleet) are not all read again at once.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from backend.shared.tokens import PublicKey

from ..db.area_models import Station
from . import stations


@dataclass(frozen=True)
class StationIdentity:
    id: str
    community_code: str
    station_code: str
    key: PublicKey


class IdentityCache:
    """Enrolled stations' identities by id, each for half ``ttl`` to ``ttl`` seconds."""

    def __init__(self, db: sessionmaker[Session], *, ttl: float = 600.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._db, self._ttl, self._clock = db, ttl, clock
        self._entries: dict[str, tuple[float, StationIdentity]] = {}  # id: (forgotten at, identity)
        self._lock = threading.Lock()

    def get(self, station_id: str, *, fresh: bool = False) -> StationIdentity | None:
        """The station's identity, from memory unless ``fresh`` or expired; None if not enrolled."""
        now = self._clock()
        with self._lock:
            entry = self._entries.get(station_id)
        if entry is not None and not fresh and now < entry[0]:
            return entry[1]
        identity = self._load(station_id)
        with self._lock:
            if identity is None:
                self._entries.pop(station_id, None)
            else:
                self._entries[station_id] = (now + self._ttl * random.uniform(0.5, 1.0), identity)
        return identity

    def peek(self, station_id: str) -> StationIdentity | None:
        """The remembered identity, if any and not expired; never asks the database."""
        with self._lock:
            entry = self._entries.get(station_id)
        if entry is not None and self._clock() < entry[0]:
            return entry[1]
        return None

    def _load(self, station_id: str) -> StationIdentity | None:
        with self._db() as session:
            key = stations.request_key(session, station_id)
            station = session.get(Station, station_id)
            if key is None or station is None:
                return None
            return StationIdentity(station.id, station.community_code, station.station_code, key)
