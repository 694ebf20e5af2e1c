"""Live updates for the staff console as server-sent events, from the LiveBus (every worker).

Each event reaches only staff whose area it belongs to: a ticket's events go to those who may
see the ticket, a station's to those who see the station; an event that names neither is not
sent at all (nothing unscoped leaks to other communities)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from ...live import LiveBus
from ...runtime import PlatformRuntime
from ..deps import RuntimeDep, StreamVisibilityDep, Visibility

router = APIRouter(prefix="/api/staff", tags=["stream"])
KEEPALIVE_SECONDS = 15.0


@router.get("/stream")
async def stream(request: Request, visible: StreamVisibilityDep, runtime: RuntimeDep) -> StreamingResponse:
    """Stream fleet changes and alerts (text/event-stream); ?access_token= works here only, for
    EventSource, which cannot send headers."""
    queue = runtime.live.subscribe()
    scope = StreamScope(runtime, visible)
    await asyncio.to_thread(scope.refresh_stations)
    return StreamingResponse(_events(request, runtime.live, queue, scope),
                             media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


@dataclass
class StreamScope:
    """Which events one subscriber may receive."""

    runtime: PlatformRuntime
    visible: Visibility
    stations: set[str] = field(default_factory=set)
    outside: set[str] = field(default_factory=set)  # stations seen to be elsewhere (they do not move)

    def refresh_stations(self) -> None:
        from ...services import fleet_service

        with self.runtime.db() as session:
            self.stations = set(fleet_service.visible_station_ids(session, self.visible.communities))

    async def allows(self, event: dict[str, Any]) -> bool:
        if event.get("ticket_no"):
            return await asyncio.to_thread(self._sees_ticket, str(event["ticket_no"]))
        station = event.get("station_id")
        if station is not None:
            if station not in self.stations and station not in self.outside:
                await asyncio.to_thread(self.refresh_stations)  # perhaps created in the area since
                if station not in self.stations:
                    self.outside.add(station)
            return station in self.stations
        return False

    def _sees_ticket(self, ticket_no: str) -> bool:
        from ...db.ticket_models import Ticket
        from ...services.tickets.access import TICKET_ROLES, Actor, can_see
        from ...services.tickets.tree import TicketTree

        if self.visible.staff.role not in TICKET_ROLES:
            return False
        with self.runtime.db() as session:
            ticket = session.get(Ticket, ticket_no)
            tree = TicketTree(session)
            return ticket is not None and can_see(Actor.of_staff(self.visible.staff, tree), ticket, tree)


async def _events(request: Request, live: LiveBus, queue: asyncio.Queue[dict[str, Any]],
                  scope: StreamScope) -> AsyncIterator[str]:
    try:
        yield ": connected\n\n"
        while not await request.is_disconnected():
            try:
                event = await asyncio.wait_for(queue.get(), KEEPALIVE_SECONDS)
            except TimeoutError:
                yield ": keep-alive\n\n"
                continue
            if not await scope.allows(event):
                continue
            yield f"event: {event.get('type', 'message')}\ndata: {json.dumps(event, ensure_ascii=False)}\n\n"
    finally:
        live.unsubscribe(queue)
