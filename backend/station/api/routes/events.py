"""The live event stream for the kiosk UI: device, card, session and service events."""

from __future__ import annotations

import asyncio
import contextlib

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from ...runtime import StationRuntime

router = APIRouter(tags=["events"])


@router.websocket("/ws/events")
async def events(websocket: WebSocket) -> None:
    """Send a hello with every component's status, then every event as it happens."""
    runtime: StationRuntime = websocket.app.state.runtime
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
                await websocket.send_json(getter.result().as_dict())
            else:
                getter.cancel()
    except WebSocketDisconnect:
        pass
    finally:
        runtime.bus.unsubscribe(queue)
        with contextlib.suppress(RuntimeError):
            await websocket.close()


async def _drain_incoming(websocket: WebSocket) -> None:
    # The kiosk only listens; reading lets us notice when it goes away.
    with contextlib.suppress(WebSocketDisconnect):
        while True:
            await websocket.receive_text()
