"""Benchmark the fleet: how many stations heartbeating every 30 s one platform worker serves with
a heartbeat latency p99 under 100 ms.

    .venv/bin/python tests/bench/bench_sync_fleet.py [--backends sqlite postgres]
        [--stations 1000 2500 5000 10000] [--period 30] [--seconds 30] [--warmup 30] [--limit-ms 100]
        [--workers 1 2]

Method: every station of the fleet is a real identity — its own Ed25519 request key, a row in
every table that holds stations (enrolled straight into the database: see fleet_identities.py) —
and beats every ``--period`` seconds (30, as deployed), its first beat at a random moment of the
first period. Each beat is a real signed request with a full heartbeat body (4 components,
6 services): the platform verifies the signature, claims the nonce, updates the station's state
and, when something changed, its components, history and alerts. Latency is measured by the
client from sending to the answer (a beat sent in the window and answered late counts with its
full time); every new station's first beat (which records its state in full) is sent before the
step and not counted, nor are the first ``--warmup`` seconds. The fleet runs from its first step
to the end: each station beats on from its first beat, and stations already beating go on
beating while the next step's stations are enrolled and primed, so none falls silent past the
platform's offline limit. Steps grow the fleet until p99
exceeds the limit; the answer is the largest fleet that stayed under it. The load generator runs
on the same 2-core machine as the platform (a separate process), so the figure is conservative.

Beside each step's latencies: how late the generator sent its beats (p99; a generator that
falls behind sends bunches no fleet of separate machines sends), its longest full garbage
collection in the window (it collects none while measuring: see ``_no_generator_gc``), and the
cores used meanwhile by the platform's processes, PostgreSQL's, the generator and the rest of
the machine (``cpu_share.py``): which of them a tail or a ceiling belongs to.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import random
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cpu_share import GcPauses, capped, cores, snapshot, stop_cleanly_on_sigterm, worker_pids
from fleet_identities import enrol_fleet
from sync_bench_support import DEFAULT_BACKENDS, BenchStation, percentile, platform_on

COMPONENTS = [{"id": c, "kind": k, "state": "READY", "code": "OK", "detail": "", "simulated": True}
              for c, k in [("printer", "receipt_printer"), ("idcard", "id_card_reader"),
                           ("scanner", "barcode_scanner"), ("camera", "camera")]]
SERVICES = [{"code": c, "state": "AVAILABLE", "reason": None}
            for c in ("certificates", "verify", "requests", "progress", "notices", "help")]


def heartbeat_body(station: BenchStation, uptime: float) -> bytes:
    return json.dumps({
        "station_id": station.station_id, "sent_at": datetime.now(UTC).isoformat(), "version": "0.1.0",
        "uptime_seconds": round(uptime, 1), "service_state": "AVAILABLE", "services": SERVICES,
        "components": COMPONENTS, "paper_level": "ok", "outbox_depth": 0, "outbox_oldest_age_seconds": 0,
        "disk_free_bytes": 50_000_000_000, "counters": {"certificates": 3, "requests": 1, "scans": 2,
                                                        "print_failures": 0}, "cursor": 20}).encode()


async def _station_loop(client: aiohttp.ClientSession, url: str, station: BenchStation, period: float,
                        beats: list[list[Any]], started: float) -> None:
    """Beat every ``period`` seconds until cancelled, the first at a random moment of the first
    period; each beat appended to ``beats`` as [sent, latency or None while unanswered, ok, late]
    — ``late``: how long after its due moment the generator sent it (a generator that stalls
    sends bunches at once, which no fleet of separate machines does)."""
    due = time.perf_counter() + random.uniform(0, period)  # spread evenly, as a real fleet is
    while True:
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        body = heartbeat_body(station, time.perf_counter() - started)
        headers = station.signed("POST", url, body)
        beat: list[Any] = [time.perf_counter(), None, False, 0.0]
        beat[3] = beat[0] - due
        beats.append(beat)
        try:
            async with client.post(url, data=body, headers=headers) as response:
                await response.read()
                beat[2] = response.status == 200
        except (aiohttp.ClientError, TimeoutError):
            beat[2] = False
        beat[1] = time.perf_counter() - beat[0]
        due = max(due + period, beat[0] + beat[1])  # a beat answered after its next due moment: no catch-up burst


async def _measure(beats: list[list[Any]], since: float, until: float,
                   cpu: Callable[[], dict[str, float]]) -> tuple[list[float], int, list[float], dict[str, float]]:
    """Latencies of the beats sent in [since, until) (waiting for their answers), their errors,
    how late the generator sent them, and the cores each part of the machine used meanwhile."""
    await asyncio.sleep(max(0.0, since - time.perf_counter()))
    before = cpu()
    await asyncio.sleep(max(0.0, until - time.perf_counter()))
    used = cores(before, cpu())
    window = [b for b in beats if since <= b[0] < until]
    while any(b[1] is None for b in window):  # slow answers count too: wait for them
        await asyncio.sleep(0.1)
    return [b[1] for b in window if b[2]], sum(1 for b in window if not b[2]), [b[3] for b in window], used


async def fleet(url: str, steps: list[tuple[int, Any]], period: float, seconds: float, warmup: float,
                report: Any, platform_pid: int,
                measuring: Callable[[], AbstractContextManager[None]] = nullcontext, settle: float = 0.0) -> None:
    """Grow one running fleet step by step and measure each step.

    Every station keeps beating from its first step to the end, as a real fleet does: while the
    next step's stations are enrolled and primed the running ones go on beating (before, they
    fell silent for a minute or more between steps — longer than the platform's 90 s offline
    limit — and came back as stations returning from an outage, which is not what is measured
    here). ``steps`` holds each step's size and a function enrolling the stations it adds;
    ``report(row)`` gets each step's figures and returns False to stop; ``measuring()`` is held
    over each step's warm-up and measured window (the workers' CPU cap), entered ``settle``
    seconds after the step's stations are primed: the beats that queued behind the priming are
    answered first, not drained through the cap into the measured window."""
    beats: list[list[Any]] = []
    stations: list[BenchStation] = []
    tasks: list[asyncio.Task[None]] = []
    # aiohttp, not httpx: httpx's pool scans every connection for every request, and at a few
    # hundred requests a second the load generator, not the platform, became the bottleneck.
    connector = aiohttp.TCPConnector(limit=256)
    timeout = aiohttp.ClientTimeout(total=30)
    started = time.perf_counter()
    try:
        async with aiohttp.ClientSession(connector=connector, timeout=timeout) as client:
            for size, enrol in steps:
                added: list[BenchStation] = await asyncio.to_thread(enrol, size - len(stations), len(stations))
                # Each station beats on from its first beat (within a period of it): primed 50 a
                # second, the first of 10,000 would otherwise wait minutes, offline, for the rest.
                await prime(url, added, primed=lambda s: tasks.append(asyncio.create_task(
                    _station_loop(client, url, s, period, beats, started))))
                stations += added
                await asyncio.sleep(settle)
                begun = time.perf_counter()
                with measuring(), _no_generator_gc(), GcPauses() as pauses:
                    latencies, errors, late, used = await _measure(
                        beats, begun + warmup, begun + warmup + seconds, lambda: snapshot(platform_pid))
                beats[:] = [b for b in beats if b[0] >= begun + warmup + seconds]  # measured: forget them
                row = {"rate": len(stations) / period, "stations": len(stations), "requests": len(latencies),
                       "errors": errors, "p50": percentile(latencies, 0.50) * 1000,
                       "p99": percentile(latencies, 0.99) * 1000,
                       "late_p99": percentile(late, 0.99) * 1000, "generator_gc_ms": pauses.longest * 1000,
                       "cores": used, "load": os.getloadavg()[0]}
                if not report(row):
                    break
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


@contextmanager
def _no_generator_gc() -> Iterator[None]:
    """No garbage collection in the generator while a step is measured.

    The generator stands in for thousands of separate machines, and its own pauses are not the
    platform's. A full collection walking every station, signer and task (300-370 ms at
    10,000-12,500 stations, measured) stopped all sending, then sent that time's beats in one
    bunch and counted the pause into the beats in flight: the "bunches of slow beats sent within
    the same 10 ms" that were taken for the platform's tail. Freezing what the fleet had built
    still left 290 ms pauses at 15,000. Its garbage is freed by reference counting; the few
    cycles wait for the collection after the step."""
    gc.collect()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


async def prime(url: str, stations: list[BenchStation], concurrency: int = 8,
                primed: Callable[[BenchStation], None] | None = None) -> None:
    """Send each new station's first heartbeat (which records its state in full), unmeasured:
    a running fleet is measured, not a fleet switched on all at once. ``primed(station)`` is
    called once its first beat is answered."""
    queue = list(stations)

    async def worker(client: aiohttp.ClientSession) -> None:
        while queue:
            station = queue.pop()
            body = heartbeat_body(station, 0.0)
            async with client.post(url, data=body, headers=station.signed("POST", url, body)) as response:
                assert response.status == 200, await response.text()
            if primed is not None:
                primed(station)

    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as client:
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))


# The platform as deployed: a station is offline after 90 s without a heartbeat.
PLATFORM_ENV = {"KIOSK_PLATFORM_HEARTBEAT_HISTORY_DAYS": "14", "KIOSK_PLATFORM_OFFLINE_AFTER_SECONDS": "90",
                "KIOSK_PLATFORM_SWEEP_SECONDS": "10"}


def run(backend: str, fleets: list[int], period: float, seconds: float, limit_ms: float,
        warmup: float, workers: int = 1, worker_cores: float | None = None) -> list[dict[str, Any]]:
    """Climb ``fleets`` on one platform of ``workers`` workers, each held to ``worker_cores`` of
    CPU while each step is measured (``cpu_share.capped``); the figures of each step, until one
    breaks the limit."""
    rows: list[dict[str, Any]] = []
    with platform_on(backend, env=PLATFORM_ENV, workers=workers) as platform, \
            _capped(platform, workers, worker_cores) as measuring:
        url = platform.url + "/api/sync/heartbeat"

        def enrol(count: int, start: int) -> list[BenchStation]:
            return enrol_fleet(platform, count, "fleet", start=start)

        def report(row: dict[str, Any]) -> bool:
            row["backend"] = backend
            rows.append(row)
            used = row["cores"]
            print(f"| {backend} | {workers} | {row['stations']:,} | {row['rate']:g} | {row['requests']:,} | "
                  f"{row['errors']} | {row['p50']:.1f} | {row['p99']:.1f} | {row['late_p99']:.1f} | "
                  f"{row['generator_gc_ms']:.0f} | {used['platform']:.2f} / {used['postgresql']:.2f} / "
                  f"{used['generator']:.2f} / {used['other']:.2f} | {row['load']:.1f} |", flush=True)
            return not (row["p99"] > limit_ms or row["errors"])

        assert platform.process is not None
        asyncio.run(fleet(url, [(size, enrol) for size in fleets], period, seconds, warmup, report,
                          platform.process.popen.pid, measuring, settle=10.0 if worker_cores else 0.0))
    return rows


@contextmanager
def _capped(platform: Any, workers: int,
            worker_cores: float | None) -> Iterator[Callable[[], AbstractContextManager[None]]]:
    """What holds the workers to ``worker_cores`` while a step is measured (nothing if None)."""
    if worker_cores is None:
        yield nullcontext
        return
    deadline = time.monotonic() + 60
    while len(pids := worker_pids(platform.process.popen.pid)) < workers and time.monotonic() < deadline:
        time.sleep(0.2)  # the first worker answered the health check; the others may still start
    with capped(pids, worker_cores) as cap:
        yield cap.held


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backends", nargs="+", default=DEFAULT_BACKENDS,
                        help="sqlite and/or postgres (postgres needs KIOSK_TEST_PG_URL)")
    parser.add_argument("--stations", nargs="+", type=int, default=[1000, 2500, 5000, 7500, 10000, 12500],
                        help="fleet sizes, each step enrolling the stations it adds")
    parser.add_argument("--period", type=float, default=30, help="seconds between a station's heartbeats")
    parser.add_argument("--seconds", type=float, default=30, help="seconds measured in each step")
    parser.add_argument("--limit-ms", type=float, default=100)
    parser.add_argument("--warmup", type=float, default=5, help="seconds of each step not measured")
    parser.add_argument("--workers", nargs="+", type=int, default=[1],
                        help="platform workers (kiosk platform --workers N), one run each, side by side")
    parser.add_argument("--worker-cores", type=float, default=None,
                        help="hold each worker to this much CPU (a cgroup quota; root): two workers "
                             "scaling, measured on a machine without a spare core for the second")
    args = parser.parse_args(argv)
    print(f"| database | workers | stations (every {args.period:g} s) | heartbeats/s | measured | errors | p50 ms "
          "| p99 ms | sent late, p99 ms | generator's longest GC ms | cores: platform / PostgreSQL / generator / "
          "other | load |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|")
    for backend in args.backends:
        for workers in args.workers:
            rows = run(backend, args.stations, args.period, args.seconds, args.limit_ms, args.warmup, workers,
                       args.worker_cores)
            passing = [r for r in rows if r["p99"] <= args.limit_ms and not r["errors"]]
            best = max(passing, key=lambda r: r["rate"]) if passing else None
            capped_at = f", each held to {args.worker_cores:g} cores" if args.worker_cores else ""
            print(f"\n{backend}, {workers} worker(s){capped_at}: largest fleet with p99 < {args.limit_ms:g} ms: "
                  f"{best['stations'] if best else 'none'} stations "
                  f"({best['rate'] if best else 0:g} heartbeats/s)\n", flush=True)
    return 0


if __name__ == "__main__":
    stop_cleanly_on_sigterm()
    raise SystemExit(main())
