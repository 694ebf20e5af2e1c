"""Screen captures for staff: the station asks the kiosk UI on its event bus and waits for the
JPEG; nothing but a JPEG for a pending request is taken; no answer is a clear refusal."""

from __future__ import annotations

import asyncio

import pytest

from backend.shared.errors import AppError
from backend.station.events import EventBus
from backend.station.services.screen import ScreenCaptures

JPEG = b"\xff\xd8\xff\xe0" + b"x" * 100


def test_no_answer_is_a_clear_refusal() -> None:
    with pytest.raises(AppError) as refused:
        ScreenCaptures(EventBus()).capture(timeout=0.01)
    assert refused.value.code == "screen.no_answer"


@pytest.mark.parametrize(("capture_id", "data", "code"), [
    ("unknown", JPEG, "screen.unknown_capture"),
    ("any", b"\x89PNG....", "screen.bad_capture"),
    ("any", b"\xff\xd8" + b"x" * (400 * 1024), "screen.bad_capture"),
])
def test_only_a_jpeg_for_a_pending_request_is_taken(capture_id: str, data: bytes, code: str) -> None:
    with pytest.raises(AppError) as refused:
        ScreenCaptures(EventBus()).deliver(capture_id, data)
    assert refused.value.code == code


def test_the_request_reaches_subscribers_of_the_bus() -> None:
    async def scenario() -> str:
        bus = EventBus()
        queue = bus.subscribe()
        captures = ScreenCaptures(bus)
        waiting = asyncio.get_running_loop().run_in_executor(None, lambda: captures.capture(timeout=5))
        event = await asyncio.wait_for(queue.get(), 5)
        captures.deliver(event.data["id"], JPEG)
        assert await waiting == JPEG
        return event.type

    assert asyncio.run(scenario()) == "ui.capture_requested"
