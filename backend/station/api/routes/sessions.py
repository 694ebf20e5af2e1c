"""The resident's session at the kiosk."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from ...services.identity import ResidentQrProvider
from ..caller import CALLER
from ..deps import RuntimeDep, SessionsDep

router = APIRouter(tags=["sessions"])


class StartSession(BaseModel):
    service: str = Field(pattern=r"^[a-z_]{2,32}$")


@router.post("/api/sessions", status_code=201)
def start_session(body: StartSession, sessions: SessionsDep) -> dict[str, Any]:
    """Start a resident's session for a service (ends any other)."""
    return sessions.start(body.service, owner=CALLER.get()).public()


@router.get("/api/sessions/{session_id}")
def get_session(session_id: str, sessions: SessionsDep) -> dict[str, Any]:
    """Return a live session (with the masked identity once the resident identified)."""
    return sessions.get(session_id, caller=CALLER.get()).public()


@router.delete("/api/sessions/{session_id}", status_code=204)
def end_session(session_id: str, sessions: SessionsDep) -> None:
    """End a session and forget who the resident was."""
    sessions.get(session_id, caller=CALLER.get())  # another client's session is not found
    sessions.end(session_id)


class IdentifyBody(BaseModel):
    token: str = Field(min_length=4, max_length=2048)


@router.post("/api/sessions/{session_id}/identify")
def identify_with_qr(session_id: str, body: IdentifyBody, runtime: RuntimeDep) -> dict[str, Any]:
    """Identify the waiting session with a resident QR code from the phone (works once)."""
    session = runtime.sessions.get(session_id, caller=CALLER.get())
    if session.identity is not None:
        return session.public()
    provider = ResidentQrProvider(keys=runtime.keys.identity_trust(), community_code=runtime.community.code,
                                  db=runtime.db)
    identity = provider.identify(body.token, now=runtime.token_clock.now())
    runtime.identify(identity)
    return runtime.sessions.get(session_id, caller=CALLER.get()).public()
