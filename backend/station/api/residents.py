"""The resident behind a route's ``session_id``: the caller's own live session, identified.

A session belongs to the kiosk program that opened it (``caller.CALLER``), so another program
cannot act for the resident at the screen; a route that needs to know who the resident is
refuses a session nobody identified in (``session.not_identified``).
"""

from __future__ import annotations

from backend.shared.errors import AppError

from ..runtime import StationRuntime
from ..services.sessions import SESSION_NOT_IDENTIFIED, Identity
from .caller import CALLER


def identified(runtime: StationRuntime, session_id: str) -> Identity:
    """The identified resident of the caller's live session ``session_id``."""
    identity = runtime.sessions.get(session_id, caller=CALLER.get()).identity
    if identity is None:
        raise AppError(SESSION_NOT_IDENTIFIED)
    return identity
