"""The live event stream for the kiosk UI: device, card, session and service events."""

from __future__ import annotations

import asyncio
import contextlib

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from ...events import StationEvent
from ...runtime import StationRuntime
from ..caller import CALLER

router = APIRouter(tags=["events"])


@router.websocket("/ws/events")
async def events(websocket: WebSocket) -> None:
    """Send a hello with every component's status, then every event as it happens."""
    runtime: StationRuntime = websocket.app.state.runtime
    client = CALLER.get()
    await websocket.accept()
    queue = runtime.bus.subscribe()
    try:
        await websocket.send_json({"type": "hello", "data": {
            "station_id": runtime.settings.station_id, "components": runtime.devices.snapshot()}})
        receiver = asyncio.create_task(_drain_incoming(websocket))
        while not receiver.done():
            getter = asyncio.create_task(queue.get())
            done, _ = await asyncio.wait({getter, receiver}, return_when=asyncio.FIRST_COMPLETED)
            if getter in done:
                event = getter.result()
                if _meant_for(client, event, runtime):
                    await websocket.send_json(event.as_dict())
            else:
                getter.cancel()
    except WebSocketDisconnect:
        pass
    finally:
        runtime.bus.unsubscribe(queue)
        with contextlib.suppress(RuntimeError):
            await websocket.close()


# What a scan or a card says belongs to the resident at the screen: only the client whose session
# is under way hears it (anyone, when no session is).
RESIDENTS_INPUT = frozenset({"code.scanned", "code.unreadable", "card.read", "card.rejected"})


def _meant_for(client: str, event: StationEvent, runtime: StationRuntime) -> bool:
    """Whether this connection may see the event: session events go to the session's client."""
    if event.audience:
        return event.audience == client
    if event.type in RESIDENTS_INPUT:
        session = runtime.sessions.current()
        return session is None or session.visible_to(client)
    return True


async def _drain_incoming(websocket: WebSocket) -> None:
    # The kiosk only listens; reading lets us notice when it goes away.
    with contextlib.suppress(WebSocketDisconnect):
        while True:
            await websocket.receive_text()
