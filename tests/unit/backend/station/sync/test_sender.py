"""The outbox sender: in seq order, bounded, marked sent only up to what the platform acknowledged."""

from __future__ import annotations

import random

import pytest

from backend.shared.protocol import MAX_BATCH_BYTES, BatchAck, EventBatch, EventType
from backend.station.db.session import write_transaction
from backend.station.runtime import StationRuntime
from backend.station.services import outbox as outbox_service
from backend.station.sync.client import PlatformUnreachable
from backend.station.sync.sender import send_batch
from backend.station.sync.worker import backoff_delay

from .conftest import NOW, outbox


class Platform:
    """Stands in for the network edge: records batches, acknowledges what it is told to."""

    station_id = "st-01"

    def __init__(self, ack_up_to: int | None = None, fail: bool = False) -> None:
        self.batches: list[EventBatch] = []
        self.ack_up_to, self.fail = ack_up_to, fail

    def post_events(self, batch: EventBatch) -> BatchAck:
        if self.fail:
            raise PlatformUnreachable("down")
        self.batches.append(batch)
        acked = self.ack_up_to if self.ack_up_to is not None else batch.events[-1].seq
        return BatchAck(acked_seq=acked, applied=len(batch.events), duplicates=0)


def _record(runtime: StationRuntime, count: int) -> None:
    with write_transaction(runtime.db) as session:
        for n in range(count):
            outbox_service.record(session, event_type=EventType.CERTIFICATE_ISSUED, aggregate_id=f"c{n}",
                                  payload={"n": n}, at=NOW)


def _unsent(runtime: StationRuntime) -> list[int]:
    return [e.seq for e in outbox(runtime) if e.sent_at is None]


def test_batches_are_bounded_and_in_seq_order(runtime: StationRuntime) -> None:
    _record(runtime, 7)
    platform = Platform()
    results = [send_batch(runtime.db, platform, batch_size=3, now=NOW) for _ in range(4)]  # type: ignore[arg-type]
    assert [[e.seq for e in b.events] for b in platform.batches] == [[1, 2, 3], [4, 5, 6], [7]]
    assert [r.sent for r in results] == [3, 3, 1, 0]
    assert _unsent(runtime) == []


def test_only_acknowledged_events_are_marked_sent(runtime: StationRuntime) -> None:
    _record(runtime, 5)
    result = send_batch(runtime.db, Platform(ack_up_to=3), batch_size=10, now=NOW)  # type: ignore[arg-type]
    assert (result.sent, result.acked_seq, result.marked, result.full) == (5, 3, 3, False)
    assert _unsent(runtime) == [4, 5]


def test_nothing_is_marked_when_the_platform_is_away(runtime: StationRuntime) -> None:
    _record(runtime, 2)
    with pytest.raises(PlatformUnreachable):
        send_batch(runtime.db, Platform(fail=True), batch_size=10, now=NOW)  # type: ignore[arg-type]
    assert _unsent(runtime) == [1, 2]


@pytest.mark.parametrize(("attempt", "ceiling"), [(0, 0.5), (1, 1.0), (3, 4.0), (7, 60.0), (500, 60.0)])
def test_backoff_is_full_jitter_under_an_exponential_ceiling(attempt: int, ceiling: float) -> None:
    rng = random.Random(attempt)
    delays = [backoff_delay(attempt, base=0.5, cap=60, rng=rng) for _ in range(2000)]
    assert min(delays) >= 0 and max(delays) <= ceiling
    assert max(delays) > 0.9 * ceiling and min(delays) < 0.1 * ceiling  # spread over the whole range


def test_a_batch_stays_well_under_the_platforms_body_limit(runtime: StationRuntime) -> None:
    # Screen captures are the largest events (about 0.6 MB of base64 each); 20 would be 12 MB.
    with write_transaction(runtime.db) as session:
        for n in range(20):
            outbox_service.record(session, event_type=EventType.COMMAND_RESULT, aggregate_id=f"k{n}",
                                  payload={"jpeg_base64": "A" * 600_000}, at=NOW)
    platform = Platform()
    while send_batch(runtime.db, platform, batch_size=200, now=NOW).sent:  # type: ignore[arg-type]
        pass
    sizes = [len(b.model_dump_json().encode()) for b in platform.batches]
    assert len(platform.batches) > 1 and max(sizes) <= MAX_BATCH_BYTES // 2 + 1024
    assert [e.seq for b in platform.batches for e in b.events] == list(range(1, 21))
