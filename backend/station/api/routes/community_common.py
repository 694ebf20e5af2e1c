"""What the community routes share (``activities``, ``accounts``, ``council``, ``organisations``):
the body naming the resident's session (``api.residents.identified`` finds who it is) and
waking the sync worker so what the resident did goes up at once."""

from __future__ import annotations

from pydantic import BaseModel, Field

from ...runtime import StationRuntime


class SessionBody(BaseModel):
    session_id: str = Field(min_length=8, max_length=64)


def wake(runtime: StationRuntime) -> None:
    if runtime.sync is not None:
        runtime.sync.wake()
