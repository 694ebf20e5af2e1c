"""What the community routes share (``activities``, ``accounts``, ``council``, ``organisations``):
the body naming the resident's session, the identified resident, and waking the sync worker so
what the resident did goes up at once."""

from __future__ import annotations

from pydantic import BaseModel, Field

from backend.shared.errors import AppError

from ...runtime import StationRuntime
from ...services.sessions import SESSION_NOT_IDENTIFIED, Identity
from ..caller import CALLER


class SessionBody(BaseModel):
    session_id: str = Field(min_length=8, max_length=64)


def identified(runtime: StationRuntime, session_id: str) -> Identity:
    identity = runtime.sessions.get(session_id, caller=CALLER.get()).identity
    if identity is None:
        raise AppError(SESSION_NOT_IDENTIFIED)
    return identity


def wake(runtime: StationRuntime) -> None:
    if runtime.sync is not None:
        runtime.sync.wake()
