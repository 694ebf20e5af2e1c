"""The resident's session: who is at the kiosk now. Kept in memory only, cleared on finish or
after inactivity (checked against the injected clock), so nothing personal outlives a visit."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from backend.shared.errors import AppError, define

from ..clock import Clock
from ..events import EventBus, StationEvent

SESSION_NOT_FOUND = define("session.not_found", 404, "会话已结束，请重新开始。",
                           "This session has ended. Please start again.")
SESSION_EXPIRED = define("session.expired", 410, "长时间未操作，会话已结束，请重新开始。",
                         "The session ended after a period of inactivity. Please start again.")
SESSION_NOT_IDENTIFIED = define("session.not_identified", 409, "请先刷身份证或扫码核验身份。",
                                "Please identify first with your ID card or a QR code.")


@dataclass(frozen=True)
class Identity:
    """A resident identified at the kiosk; holds no full ID number."""

    id_hash: str
    id_masked: str
    name: str
    sex: str = ""
    birth_date: date | None = None
    source: str = "idcard"  # idcard | qr

    def public(self) -> dict[str, Any]:
        """What the kiosk may show: masked and minimal."""
        return {"name": self.name, "id_masked": self.id_masked, "sex": self.sex,
                "source": self.source}


@dataclass
class ResidentSession:
    id: str
    service: str
    started_at: datetime
    last_seen: datetime
    identity: Identity | None = None
    data: dict[str, Any] = field(default_factory=dict)
    owner: str = ""  # the client that opened it (X-Kiosk-Client); "" lets any token holder use it

    def visible_to(self, caller: str) -> bool:
        return not self.owner or self.owner == caller

    def public(self) -> dict[str, Any]:
        return {"id": self.id, "service": self.service, "started_at": self.started_at.isoformat(),
                "identity": self.identity.public() if self.identity else None,
                "outcomes": list(self.data.get("outcomes", []))}


class SessionManager:
    """One resident at a time, as at a kiosk."""

    def __init__(self, *, clock: Clock, idle_seconds: int, bus: EventBus) -> None:
        self._clock = clock
        self._idle = timedelta(seconds=idle_seconds)
        self._bus = bus
        self._current: ResidentSession | None = None
        self._lock = threading.Lock()
        self._start_listeners: list[Callable[[ResidentSession], None]] = []

    def on_start(self, listener: Callable[[ResidentSession], None]) -> None:
        """Call ``listener`` with every new session."""
        self._start_listeners.append(listener)

    def start(self, service: str, *, owner: str = "") -> ResidentSession:
        """Begin a new session for the client ``owner``, ending any other."""
        now = self._clock.now()
        with self._lock:
            self._end_locked("replaced")
            self._current = ResidentSession(secrets.token_urlsafe(16), service, now, now, owner=owner)
            session = self._current
        self._bus.publish(StationEvent("session.started", {"id": session.id, "service": service},
                                       audience=owner))
        for listener in self._start_listeners:
            listener(session)
        return session

    def current(self) -> ResidentSession | None:
        with self._lock:
            self._expire_locked()
            return self._current

    def get(self, session_id: str, *, caller: str = "") -> ResidentSession:
        """Return the live session with this id and mark it as used; another client's session
        looks like none at all."""
        with self._lock:
            if self._expire_locked() == session_id:
                raise AppError(SESSION_EXPIRED)
            if self._current is None or self._current.id != session_id \
                    or not self._current.visible_to(caller):
                raise AppError(SESSION_NOT_FOUND)
            self._current.last_seen = self._clock.now()
            return self._current

    def waiting(self) -> ResidentSession | None:
        """The live session still waiting for the resident to identify, if any."""
        session = self.current()
        return session if session is not None and session.identity is None else None

    def identify(self, identity: Identity, *, data: dict[str, Any] | None = None) -> ResidentSession | None:
        """Attach an identity to the session waiting for one; None if nobody is waiting."""
        with self._lock:
            self._expire_locked()
            session = self._current
            if session is None or session.identity is not None:
                return None
            session.identity = identity
            session.data.update(data or {})
            session.last_seen = self._clock.now()
        self._bus.publish(StationEvent("session.identified", session.public(), audience=session.owner))
        return session

    def end(self, session_id: str, reason: str = "finished") -> None:
        with self._lock:
            if self._current is not None and self._current.id == session_id:
                self._end_locked(reason)

    def _expire_locked(self) -> str | None:
        session = self._current
        if session is not None and self._clock.now() - session.last_seen > self._idle:
            self._end_locked("idle")
            return session.id
        return None

    def _end_locked(self, reason: str) -> None:
        if self._current is None:
            return
        ended, self._current = self._current, None
        ended.identity = None
        ended.data.clear()
        self._bus.publish(StationEvent("session.ended", {"id": ended.id, "reason": reason},
                                       audience=ended.owner))
