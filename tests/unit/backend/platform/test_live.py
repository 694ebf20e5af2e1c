"""The live bus: in one process, and across processes through PostgreSQL LISTEN/NOTIFY."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from backend.platform.live import InProcessLiveBus, PostgresLiveBus, live_bus_for
from support.postgres import fresh_database, server_url


async def _receive(bus: object, publish: object, timeout: float = 5) -> dict[str, object]:
    queue = bus.subscribe()  # type: ignore[attr-defined]
    publish()  # type: ignore[operator]
    event: dict[str, object] = await asyncio.wait_for(queue.get(), timeout)
    bus.unsubscribe(queue)  # type: ignore[attr-defined]
    return event


def test_in_process_bus_delivers_to_subscribers() -> None:
    bus = InProcessLiveBus()
    event = asyncio.run(_receive(bus, lambda: bus.publish({"type": "alert.opened", "station_id": "s"})))
    assert event == {"type": "alert.opened", "station_id": "s"}


def test_the_bus_follows_the_database() -> None:
    assert isinstance(live_bus_for("sqlite:///x.db"), InProcessLiveBus)
    assert isinstance(live_bus_for("postgresql+psycopg://u@h/db"), PostgresLiveBus)


@pytest.fixture
def pg_url() -> Iterator[str]:
    with fresh_database(server_url()) as url:
        yield url


@pytest.mark.postgres
def test_an_event_published_by_one_worker_reaches_another(pg_url: str) -> None:
    publisher, listener = PostgresLiveBus(pg_url), PostgresLiveBus(pg_url)  # two workers' buses
    publisher.start()
    listener.start()
    try:
        event = asyncio.run(_receive(listener, lambda: publisher.publish(
            {"type": "station.state", "station_id": "st-01", "note": "离线"})))
        assert event == {"type": "station.state", "station_id": "st-01", "note": "离线"}
        huge = asyncio.run(_receive(listener, lambda: publisher.publish({"type": "big", "x": "y" * 9000})))
        assert huge == {"type": "big", "truncated": True}
    finally:
        publisher.stop()
        listener.stop()
