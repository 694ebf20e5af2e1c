"""Work the station does by the clock: certificates past their validity become ``expired``; volunteer
duties nobody signed out of are closed at the configured hour (``volunteers.close_forgotten``)."""

from __future__ import annotations

import logging
import threading
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from backend.shared.protocol import EventType
from backend.shared.volunteers.config import load_volunteer_config

from ..clock import Clock
from ..db.models import Certificate
from ..db.session import write_transaction
from . import outbox, volunteers
from .issuing import move_certificate

log = logging.getLogger(__name__)
LIVE_STATES = ("issued", "printed", "print_failed")


def expire_certificates(factory: sessionmaker[Session], *, now: datetime) -> int:
    """Move certificates whose validity has ended to ``expired``; return how many."""
    with write_transaction(factory) as session:
        due = session.scalars(select(Certificate).where(Certificate.state.in_(LIVE_STATES),
                                                        Certificate.expires_at <= now)).all()
        for certificate in due:
            move_certificate(session, certificate, "expired", actor="station:clock", at=now,
                             reason="validity ended")
            outbox.record(session, event_type=EventType.CERTIFICATE_EXPIRED, aggregate_id=certificate.id,
                          payload={"id": certificate.id, "serial": certificate.serial,
                                   "at": now.isoformat()}, at=now)
    if due:
        log.info("%d certificate(s) expired", len(due))
    return len(due)


class Housekeeper:
    """Runs the clock-driven jobs at start and then every ``interval`` seconds."""

    def __init__(self, factory: sessionmaker[Session], clock: Clock, interval: float = 600) -> None:
        self._factory, self._clock, self._interval = factory, clock, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="housekeeping", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                now = self._clock.now()
                expire_certificates(self._factory, now=now)
                volunteers.close_forgotten(self._factory, config=load_volunteer_config(), now=now)
            except Exception:  # a failed round must not stop the next one
                log.exception("housekeeping failed")
            self._stop.wait(self._interval)
