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
client from sending to the answer; every new station's first beat (which records its state in
full) is sent before the step and not counted, nor are the first ``--warmup`` seconds. Steps grow the fleet until p99
exceeds the limit; the answer is the largest fleet that stayed under it. The load generator runs
on the same 2-core machine as the platform (a separate process), so the figure is conservative.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent))

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
                        until: float, latencies: list[float], errors: list[int], started: float,
                        warmup: float) -> None:
    await asyncio.sleep(random.uniform(0, period))  # spread evenly, as a real fleet is
    while time.perf_counter() < until:
        body = heartbeat_body(station, time.perf_counter() - started)
        headers = station.signed("POST", url, body)
        sent = time.perf_counter()
        try:
            async with client.post(url, data=body, headers=headers) as response:
                await response.read()
                ok = response.status == 200
        except (aiohttp.ClientError, TimeoutError):
            ok = False
        answered = time.perf_counter()
        if sent - started >= warmup:
            latencies.append(answered - sent) if ok else errors.append(1)
        await asyncio.sleep(max(0.0, period - (answered - sent)))


async def step(url: str, stations: list[BenchStation], period: float, seconds: float,
               warmup: float) -> dict[str, Any]:
    """Run one load step; return latency percentiles in milliseconds and the error count."""
    latencies: list[float] = []
    errors: list[int] = []
    # aiohttp, not httpx: httpx's pool scans every connection for every request, and at a few
    # hundred requests a second the load generator, not the platform, became the bottleneck.
    connector = aiohttp.TCPConnector(limit=256)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as client:
        started = time.perf_counter()
        await asyncio.gather(*(_station_loop(client, url, s, period, started + warmup + seconds, latencies,
                                             errors, started, warmup) for s in stations))
    return {"rate": len(stations) / period, "stations": len(stations), "requests": len(latencies),
            "errors": len(errors), "p50": percentile(latencies, 0.50) * 1000,
            "p99": percentile(latencies, 0.99) * 1000}


async def prime(url: str, stations: list[BenchStation], concurrency: int = 8) -> None:
    """Send each new station's first heartbeat (which records its state in full), unmeasured:
    a running fleet is measured, not a fleet switched on all at once."""
    queue = list(stations)

    async def worker(client: aiohttp.ClientSession) -> None:
        while queue:
            station = queue.pop()
            body = heartbeat_body(station, 0.0)
            async with client.post(url, data=body, headers=station.signed("POST", url, body)) as response:
                assert response.status == 200, await response.text()

    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as client:
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))


# The platform as deployed: a station is offline after 90 s without a heartbeat.
PLATFORM_ENV = {"KIOSK_PLATFORM_HEARTBEAT_HISTORY_DAYS": "14", "KIOSK_PLATFORM_OFFLINE_AFTER_SECONDS": "90",
                "KIOSK_PLATFORM_SWEEP_SECONDS": "10"}


def run(backend: str, fleets: list[int], period: float, seconds: float, limit_ms: float,
        warmup: float, workers: int = 1) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    with platform_on(backend, env=PLATFORM_ENV, workers=workers) as platform:
        stations: list[BenchStation] = []
        url = platform.url + "/api/sync/heartbeat"
        for size in fleets:
            added = enrol_fleet(platform, size - len(stations), "fleet", start=len(stations))
            asyncio.run(prime(url, added))
            stations += added
            row = asyncio.run(step(url, stations, period, seconds, warmup)) | {"backend": backend}
            rows.append(row)
            print(f"| {backend} | {workers} | {row['stations']:,} | {row['rate']:g} | {row['requests']:,} | "
                  f"{row['errors']} | {row['p50']:.1f} | {row['p99']:.1f} |", flush=True)
            if row["p99"] > limit_ms or row["errors"]:
                break
    return rows


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
    args = parser.parse_args(argv)
    print(f"| database | workers | stations (every {args.period:g} s) | heartbeats/s | measured | errors | p50 ms | p99 ms |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for backend in args.backends:
        for workers in args.workers:
            rows = run(backend, args.stations, args.period, args.seconds, args.limit_ms, args.warmup, workers)
            passing = [r for r in rows if r["p99"] <= args.limit_ms and not r["errors"]]
            best = max(passing, key=lambda r: r["rate"]) if passing else None
            print(f"\n{backend}, {workers} worker(s): largest fleet with p99 < {args.limit_ms:g} ms: "
                  f"{best['stations'] if best else 'none'} stations "
                  f"({best['rate'] if best else 0:g} heartbeats/s)\n", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
