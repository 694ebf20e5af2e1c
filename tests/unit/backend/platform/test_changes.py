"""Changes by cursor: scopes, paging, and cursors that commit in the order they are numbered."""

from __future__ import annotations

import threading
import time

from backend.platform.db.area_models import Station
from backend.platform.db.session import write_transaction
from backend.platform.runtime import PlatformRuntime
from backend.platform.services import changes
from backend.shared.protocol import ChangeKind

from .conftest import NOW, enrolled


def _publish(runtime: PlatformRuntime, scope: str, key: str) -> int:
    with write_transaction(runtime.db) as session:
        return changes.publish(session, kind=ChangeKind.NOTICE, scope=scope, key=key, payload={"k": key},
                               now=NOW)


def _page(runtime: PlatformRuntime, station_id: str, after: int, limit: int = 100) -> changes.ChangesPage:
    with runtime.db() as session:
        station = session.get(Station, station_id)
        assert station is not None
        return changes.page(session, station=station, after=after, limit=limit)


def test_a_station_reads_the_district_its_community_and_itself_only(runtime: PlatformRuntime) -> None:
    enrolled(runtime, "st-01", "S01")
    start = changes.latest_cursor(runtime.db())
    for scope, key in [("district", "all"), ("community:460107002001", "ours"),
                       ("community:999999999999", "theirs"), ("station:st-01", "mine"),
                       ("station:st-02", "not-mine")]:
        _publish(runtime, scope, key)
    page = _page(runtime, "st-01", start)
    assert [c.key for c in page.changes] == ["all", "ours", "mine"]
    assert page.next_cursor == start + 5 and not page.more  # past what it may not see, too


def test_pages_are_bounded_and_resume_at_the_cursor(runtime: PlatformRuntime) -> None:
    enrolled(runtime)
    start = changes.latest_cursor(runtime.db())
    for n in range(5):
        _publish(runtime, "district", f"n{n}")
    first = _page(runtime, "st-01", start, limit=3)
    assert ([c.key for c in first.changes], first.more) == (["n0", "n1", "n2"], True)
    second = _page(runtime, "st-01", first.next_cursor, limit=3)
    assert ([c.key for c in second.changes], second.more) == (["n3", "n4"], False)


def test_a_later_cursor_never_commits_before_an_earlier_one(runtime: PlatformRuntime) -> None:
    """Numbering takes the counter row's lock: a second writer waits for the first to commit,
    so a reader can never see cursor N+1 while N is still to come."""
    enrolled(runtime)
    order: list[str] = []
    first_numbered = threading.Event()

    def slow_writer() -> None:
        with write_transaction(runtime.db) as session:
            changes.publish(session, kind=ChangeKind.NOTICE, scope="district", key="slow", payload={},
                            now=NOW)
            first_numbered.set()
            time.sleep(0.3)  # holds the lock while "working"; what is measured is the other writer
            order.append("slow committed")

    writer = threading.Thread(target=slow_writer)
    writer.start()
    assert first_numbered.wait(5)
    fast = _publish(runtime, "district", "fast")
    order.append("fast committed")
    writer.join(5)
    assert order == ["slow committed", "fast committed"]
    page = _page(runtime, "st-01", fast - 2)
    assert [c.key for c in page.changes] == ["slow", "fast"]


def test_a_superseding_change_replaces_the_earlier_ones(runtime: PlatformRuntime) -> None:
    enrolled(runtime, "st-01", "S01")
    enrolled(runtime, "st-02", "S02")  # each enrolment republishes the trust list
    with runtime.db() as session:
        station = session.get(Station, "st-01")
        assert station is not None
        trust = [c for c in changes.page(session, station=station, after=0, limit=1000).changes
                 if c.kind is ChangeKind.TRUST]
    assert len(trust) == 1 and len(trust[0].payload["keys"]) == 2  # only the latest, with both keys
