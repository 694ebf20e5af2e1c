"""Benchmark catch-up: how long a station takes to drain a backlog after reconnecting.

    .venv/bin/python tests/bench/bench_sync_catchup.py [--events 10000] [--backends sqlite postgres]
        [--batch-sizes 200 1000]

A real platform process and a real ``kiosk station`` process. The station is enrolled, then
``--events`` certificate.issued events are queued in its outbox (written straight into its
database while it is stopped, as if it had issued them offline), then the station starts. The
clock runs from the moment its API answers until the platform has applied the last event.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sync_bench_support import DEFAULT_BACKENDS, certificate_event, platform_on

from backend.shared.migrations import upgrade
from backend.station.db.models import OutboxEvent
from backend.station.db.session import make_engine, make_session_factory, write_transaction
from backend.station.runtime import MIGRATIONS
from backend.station.sync.enrolment import enroll
from support.platform_stack import Platform
from support.stack import free_port, http_ok, kiosk, start, wait_for


def queue_events(data_dir: Path, count: int, station_code: str) -> None:
    """Write ``count`` events into the stopped station's outbox."""
    engine = make_engine(f"sqlite:///{data_dir / 'station.db'}")
    upgrade(engine, MIGRATIONS)
    now = datetime.now(UTC)
    with write_transaction(make_session_factory(engine)) as session:
        for seq in range(1, count + 1):
            event = certificate_event(seq, station_code)
            session.add(OutboxEvent(event_type=event["type"], aggregate_id=event["aggregate_id"],
                                    payload=event["payload"], created_at=now))
    engine.dispose()


def drain(platform: Platform, *, events: int, batch: int, station_id: str, code: str) -> tuple[float, float]:
    """Return (seconds from start to drained, seconds from API up to drained)."""
    with tempfile.TemporaryDirectory(prefix="kiosk-catchup-") as folder:
        data_dir = Path(folder)
        enroll(data_dir=data_dir, url=platform.url, code=platform.create_station(station_id, code))
        queue_events(data_dir, events, code)
        port = free_port()
        spawned = time.perf_counter()
        process = start("station", kiosk("station", "--data-dir", str(data_dir), "--port", str(port)), data_dir,
                        {"KIOSK_SYNC_BATCH_SIZE": str(batch), "KIOSK_SYNC_INTERVAL_SECONDS": "0.5"})
        try:
            wait_for(http_ok(f"http://127.0.0.1:{port}/api/health"), process, timeout=60)
            ready = time.perf_counter()
            while platform.station(station_id)["last_applied_seq"] < events:
                time.sleep(0.05)
            done = time.perf_counter()
        finally:
            process.stop()
    return done - spawned, done - ready


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--backends", nargs="+", default=DEFAULT_BACKENDS,
                        help="sqlite and/or postgres (postgres needs KIOSK_TEST_PG_URL)")
    parser.add_argument("--batch-sizes", nargs="+", type=int, default=[200, 1000])
    args = parser.parse_args(argv)
    print("| platform database | station batch size | events | drained after API up (s) | "
          "incl. station start (s) | events/s |")
    print("|---|---:|---:|---:|---:|---:|")
    for backend in args.backends:
        with platform_on(backend) as platform:
            for n, batch in enumerate(args.batch_sizes):
                total, after_ready = drain(platform, events=args.events, batch=batch,
                                           station_id=f"catchup-{n}", code=f"S{90 + n}")
                print(f"| {backend} | {batch} | {args.events:,} | {after_ready:.2f} | {total:.2f} | "
                      f"{args.events / after_ready:,.0f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
