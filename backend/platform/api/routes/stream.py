"""Live updates for the staff console as server-sent events, from the LiveBus (every worker)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from ...live import LiveBus
from ..deps import RuntimeDep, VisibilityDep

router = APIRouter(prefix="/api/staff", tags=["stream"])
KEEPALIVE_SECONDS = 15.0


@router.get("/stream")
async def stream(request: Request, visible: VisibilityDep, runtime: RuntimeDep) -> StreamingResponse:
    """Stream fleet changes and alerts (text/event-stream); ?access_token= works for EventSource."""
    queue = runtime.live.subscribe()
    allowed = await asyncio.to_thread(_visible_ids, runtime, visible.communities)
    return StreamingResponse(_events(request, runtime.live, queue, allowed),
                             media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


def _visible_ids(runtime: Any, communities: list[str]) -> set[str]:
    from ...services import fleet

    with runtime.db() as session:
        return set(fleet.visible_station_ids(session, communities))


async def _events(request: Request, live: LiveBus, queue: asyncio.Queue[dict[str, Any]],
                  allowed: set[str]) -> AsyncIterator[str]:
    try:
        yield ": connected\n\n"
        while not await request.is_disconnected():
            try:
                event = await asyncio.wait_for(queue.get(), KEEPALIVE_SECONDS)
            except TimeoutError:
                yield ": keep-alive\n\n"
                continue
            station = event.get("station_id")
            if station is not None and station not in allowed and event.get("type") != "station.created":
                continue
            yield f"event: {event.get('type', 'message')}\ndata: {json.dumps(event, ensure_ascii=False)}\n\n"
    finally:
        live.unsubscribe(queue)
