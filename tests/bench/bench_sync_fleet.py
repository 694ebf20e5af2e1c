"""Benchmark the fleet: how many stations heartbeating every 30 s one platform worker serves with
a heartbeat latency p99 under 100 ms.

    .venv/bin/python tests/bench/bench_sync_fleet.py [--backends sqlite postgres] [--identities 300]
        [--rates 10 20 40 ...] [--seconds 20] [--limit-ms 100]

Method (time compression): N stations each beating every 30 s send N/30 heartbeats a second,
spread evenly. We enrol ``--identities`` lightweight stations (real Ed25519 request keys, enrolled
over HTTP; no kiosk) and have them beat faster, so that together they send ``rate`` heartbeats a
second — the load of N = rate × 30 stations. Each beat is a real signed request with a full
heartbeat body (4 components, 6 services), so the platform verifies the signature, records the
nonce, updates the station's state and components, stores the history row and re-evaluates its
alerts, exactly as for a real station. Latency is measured by the client from sending to the
answer; the first ``--warmup`` seconds of each step are discarded. Steps go up in rate until p99 exceeds the
limit; the answer is the largest N that stayed under it. The load generator runs on the same
2-core machine as the platform (a separate process), so the figure is conservative.
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

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sync_bench_support import DEFAULT_BACKENDS, BenchStation, enrol_stations, percentile, platform_on

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


async def _station_loop(client: httpx.AsyncClient, url: str, station: BenchStation, period: float,
                        until: float, latencies: list[float], errors: list[int], started: float,
                        warmup: float) -> None:
    await asyncio.sleep(random.uniform(0, period))  # spread evenly, as a real fleet is
    while time.perf_counter() < until:
        body = heartbeat_body(station, time.perf_counter() - started)
        headers = station.signed("POST", url, body)
        sent = time.perf_counter()
        try:
            response = await client.post(url, content=body, headers=headers)
            ok = response.status_code == 200
        except httpx.HTTPError:
            ok = False
        answered = time.perf_counter()
        if sent - started >= warmup:
            latencies.append(answered - sent) if ok else errors.append(1)
        await asyncio.sleep(max(0.0, period - (answered - sent)))


async def step(url: str, stations: list[BenchStation], rate: float, seconds: float,
               warmup: float) -> dict[str, Any]:
    """Run one load step; return latency percentiles in milliseconds and the error count."""
    period = len(stations) / rate
    latencies: list[float] = []
    errors: list[int] = []
    limits = httpx.Limits(max_connections=len(stations), max_keepalive_connections=len(stations))
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:
        started = time.perf_counter()
        await asyncio.gather(*(_station_loop(client, url, s, period, started + seconds, latencies, errors,
                                             started, warmup) for s in stations))
    return {"rate": rate, "stations": round(rate * 30), "requests": len(latencies), "errors": len(errors),
            "p50": percentile(latencies, 0.50) * 1000, "p99": percentile(latencies, 0.99) * 1000}


def run(backend: str, identities: int, rates: list[float], seconds: float, limit_ms: float,
        warmup: float) -> list[dict[str, Any]]:
    rows = []
    with platform_on(backend, env={"KIOSK_PLATFORM_HEARTBEAT_HISTORY_DAYS": "14"}) as platform:
        stations = enrol_stations(platform, identities, "fleet")
        url = platform.url + "/api/sync/heartbeat"
        for rate in rates:
            row = asyncio.run(step(url, stations, rate, seconds, warmup)) | {"backend": backend}
            rows.append(row)
            print(f"| {backend} | {row['stations']:,} | {rate:g} | {row['requests']:,} | {row['errors']} | "
                  f"{row['p50']:.1f} | {row['p99']:.1f} |", flush=True)
            if row["p99"] > limit_ms or row["errors"]:
                break
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backends", nargs="+", default=DEFAULT_BACKENDS,
                        help="sqlite and/or postgres (postgres needs KIOSK_TEST_PG_URL)")
    parser.add_argument("--identities", type=int, default=300)
    parser.add_argument("--rates", nargs="+", type=float,
                        default=[10, 20, 40, 60, 80, 100, 120, 140, 170, 200, 250, 300])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--limit-ms", type=float, default=100)
    parser.add_argument("--warmup", type=float, default=3, help="seconds of each step not measured")
    args = parser.parse_args(argv)
    print("| database | equivalent stations (30 s) | heartbeats/s | measured | errors | p50 ms | p99 ms |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for backend in args.backends:
        rows = run(backend, args.identities, args.rates, args.seconds, args.limit_ms, args.warmup)
        passing = [r for r in rows if r["p99"] <= args.limit_ms and not r["errors"]]
        best = max(passing, key=lambda r: r["rate"]) if passing else None
        print(f"\n{backend}: largest fleet with p99 < {args.limit_ms:g} ms: "
              f"{best['stations'] if best else 'none'} stations ({best['rate'] if best else 0:g} heartbeats/s)\n",
              flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
