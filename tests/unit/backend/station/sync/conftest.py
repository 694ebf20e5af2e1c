"""A station runtime in a temporary data folder (devices built, never started)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from backend.station.clock import FrozenClock
from backend.station.db.models import OutboxEvent
from backend.station.runtime import StationRuntime, build_runtime
from backend.station.settings import StationSettings

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


@pytest.fixture
def runtime(tmp_path: Path) -> Iterator[StationRuntime]:
    built = build_runtime(StationSettings(data_dir=tmp_path / "station"), clock=FrozenClock(NOW))
    try:
        yield built
    finally:
        built.engine.dispose()


def outbox(runtime: StationRuntime, event_type: str | None = None) -> list[OutboxEvent]:
    with runtime.db() as session:
        query = select(OutboxEvent).order_by(OutboxEvent.seq)
        if event_type is not None:
            query = query.where(OutboxEvent.event_type == event_type)
        return list(session.scalars(query))


def payloads(runtime: StationRuntime, event_type: str) -> list[dict[str, Any]]:
    return [e.payload for e in outbox(runtime, event_type)]
