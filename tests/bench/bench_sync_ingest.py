"""Benchmark the platform's ingest: outbox events applied per second, by database and batch size.

    .venv/bin/python tests/bench/bench_sync_ingest.py [--backends sqlite postgres]
        [--batch-sizes 50 200 1000] [--events 6000] [--stations 1 4]

One platform process (one worker). Each run enrols fresh stations, then each station posts
signed batches of realistic certificate.issued events one after another — as a station's sync
worker does — with ``--stations`` of them at once. Events per second = events applied / wall
time, measured by the client from the first request to the last acknowledgement.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cpu_share import cores, snapshot
from sync_bench_support import DEFAULT_BACKENDS, BenchStation, enrol_stations, events_body, platform_on


def batches(station: BenchStation, *, total: int, batch: int) -> list[bytes]:
    """A station's outbox as the batches it will send, built before the clock starts: on a real
    station its own machine builds them, here the load generator's would be counted."""
    return [events_body(station, first, min(batch, total - first + 1)) for first in range(1, total + 1, batch)]


def post_all(url: str, station: BenchStation, bodies: list[bytes]) -> int:
    """Send the batches one after another; return the last seq the platform acknowledged."""
    acked = 0
    with httpx.Client(timeout=120) as client:
        for body in bodies:
            response = client.post(url, content=body, headers=station.signed("POST", url, body))
            response.raise_for_status()
            acked = response.json()["acked_seq"]
    return acked


def _send_into(acked: list[int], url: str, station: BenchStation, bodies: list[bytes]) -> None:
    acked.append(post_all(url, station, bodies))


def run(backend: str, batch_sizes: list[int], events: int, parallel: list[int]) -> list[tuple[str, int, int, float, str]]:
    """Per stations-at-once and batch size: events applied per second, and the cores the
    platform / PostgreSQL / generator / everything else used meanwhile."""
    rows = []
    with platform_on(backend) as platform:
        assert platform.process is not None
        url = platform.url + "/api/sync/events"
        for stations_at_once in parallel:
            for batch in batch_sizes:
                stations = enrol_stations(platform, stations_at_once, f"in{batch}x{stations_at_once}")
                per_station = events // stations_at_once
                acked: list[int] = []
                threads = [threading.Thread(target=_send_into,
                                            args=(acked, url, s, batches(s, total=per_station, batch=batch)))
                           for s in stations]
                before = snapshot(platform.process.popen.pid)
                started = time.perf_counter()
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
                elapsed = time.perf_counter() - started
                used = cores(before, snapshot(platform.process.popen.pid))
                assert acked == [per_station] * stations_at_once, acked
                rows.append((backend, stations_at_once, batch, per_station * stations_at_once / elapsed,
                             " / ".join(f"{used[k]:.2f}" for k in ("platform", "postgresql", "generator", "other"))))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backends", nargs="+", default=DEFAULT_BACKENDS,
                        help="sqlite and/or postgres (postgres needs KIOSK_TEST_PG_URL)")
    parser.add_argument("--batch-sizes", nargs="+", type=int, default=[50, 200, 1000])
    parser.add_argument("--events", type=int, default=6000, help="events per run (all stations together)")
    parser.add_argument("--stations", nargs="+", type=int, default=[1, 4], help="stations sending at once")
    args = parser.parse_args(argv)
    print("| database | stations at once | batch size | events applied per second "
          "| cores: platform / PostgreSQL / generator / other |")
    print("|---|---:|---:|---:|---|")
    for backend in args.backends:
        for row in run(backend, args.batch_sizes, args.events, args.stations):
            print(f"| {row[0]} | {row[1]} | {row[2]} | {row[3]:,.0f} | {row[4]} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
