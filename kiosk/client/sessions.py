"""A resident's session on the station: start, keep alive, end, and identify it with a code
scanned from a phone (a card on the reader identifies it through the station's own events)."""

from __future__ import annotations

from typing import Protocol

from ..errors import StationError
from ..records import SessionInfo
from .transport import Calls, parsed


class SessionApi(Protocol):
    def start_session(self, service: str) -> SessionInfo: ...
    def get_session(self, session_id: str) -> SessionInfo: ...
    def end_session(self, session_id: str) -> None: ...
    def identify_with_code(self, session_id: str, token: str) -> SessionInfo: ...


class SessionCalls(Calls):
    def start_session(self, service: str) -> SessionInfo:
        """Start a resident's session for a service."""
        return parsed(SessionInfo.parse, self._request("POST", "/api/sessions", {"service": service}))

    def get_session(self, session_id: str) -> SessionInfo:
        """Return the session (and keep it alive on the station)."""
        return parsed(SessionInfo.parse, self._request("GET", f"/api/sessions/{session_id}"))

    def end_session(self, session_id: str) -> None:
        """End the session; the station forgets who the resident was."""
        try:
            self._request("DELETE", f"/api/sessions/{session_id}")
        except StationError as err:
            if err.code not in ("session.not_found", "session.expired"):
                raise

    def identify_with_code(self, session_id: str, token: str) -> SessionInfo:
        """Identify the session with a resident QR code scanned from a phone (works once)."""
        body = self._request("POST", f"/api/sessions/{session_id}/identify", {"token": token})
        return parsed(SessionInfo.parse, body)
