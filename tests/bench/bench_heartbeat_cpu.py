"""Benchmark what one unchanged heartbeat costs the platform worker: CPU and database round trips.

    .venv/bin/python tests/bench/bench_heartbeat_cpu.py [--backends sqlite postgres]
        [--stations 200] [--beats 3000] [--profile 25]
    (or: kiosk bench heartbeat_cpu)

Method: the platform app built in this process on a fresh database (PostgreSQL from
KIOSK_TEST_PG_URL), a fleet of real identities enrolled straight into it (fleet_identities.py),
each station's first two beats sent unmeasured (the first records its state in full). Then
``--beats`` heartbeats, signed beforehand the way a station signs them, are handed to the ASGI app
one after the other — no server, no client, no network — and the process's CPU time (every thread:
the event loop and the worker threads) is divided by the count. Wall-clock time under a load
generator would measure whatever else shares the machine; CPU time of one process barely does.
Statements are the SQL psycopg sent; round trips add each BEGIN and COMMIT it sent. On PostgreSQL the
database's own CPU for this worker's connections is read from /proc where it can be (same host).
``--profile N`` prints the N most expensive functions (cProfile, cumulative) of a second pass.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import anyio.to_thread

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_sync_fleet import heartbeat_body
from fleet_identities import enrol_fleet
from sqlalchemy import text
from sync_bench_support import DEFAULT_BACKENDS, BenchStation, _pg_url

from backend.platform.app import create_app
from backend.platform.runtime import PlatformRuntime, build_runtime
from backend.platform.settings import PlatformSettings
from support.postgres import fresh_database

HOST = "testserver"
URL = f"http://{HOST}/api/sync/heartbeat"
Request = tuple[dict[str, Any], bytes]


def signed_request(station: BenchStation, uptime: float) -> Request:
    body = heartbeat_body(station, uptime)
    headers = station.signed("POST", URL, body) | {"host": HOST, "content-length": str(len(body))}
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
             "scheme": "http", "path": "/api/sync/heartbeat", "raw_path": b"/api/sync/heartbeat",
             "query_string": b"", "root_path": "", "client": ("127.0.0.1", 50000), "server": (HOST, 80),
             "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()]}
    return scope, body


async def send_all(app: Any, requests: list[Request]) -> list[int]:
    """Hand each request to the app in turn; return the status codes."""
    statuses: list[int] = []
    for scope, body in requests:
        async def receive(body: bytes = body) -> dict[str, Any]:
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                statuses.append(message["status"])

        await app(scope, receive, send)
    return statuses


@contextmanager
def threads_inline() -> Iterator[None]:
    """Run what the app sends to worker threads on the event loop's thread instead."""
    original = anyio.to_thread.run_sync

    async def inline(func: Any, *args: Any, **_kwargs: Any) -> Any:
        return func(*args)

    anyio.to_thread.run_sync = inline  # type: ignore[assignment]
    try:
        yield
    finally:
        anyio.to_thread.run_sync = original


class Counter:
    """What psycopg sent: statements, and the BEGINs and COMMITs that went with them (psycopg sends
    BEGIN before a statement outside autocommit when no transaction is open). Counted in psycopg,
    not SQLAlchemy, because the short path hands its statement to psycopg directly. SQLite: none."""

    def __init__(self) -> None:
        import psycopg

        self.statements = self.begins = self.commits = 0
        execute, commit = psycopg.Cursor.execute, psycopg.Connection.commit
        counter = self

        def counted_execute(cursor: Any, *args: Any, **kwargs: Any) -> Any:
            connection = cursor.connection
            counter.statements += 1
            counter.begins += not connection.autocommit and connection.info.transaction_status == IDLE
            return execute(cursor, *args, **kwargs)

        def counted_commit(connection: Any) -> None:
            counter.commits += connection.info.transaction_status != IDLE
            commit(connection)

        psycopg.Cursor.execute = counted_execute  # type: ignore[method-assign]
        psycopg.Connection.commit = counted_commit  # type: ignore[method-assign]

    def snapshot(self) -> tuple[int, int, int]:
        return self.statements, self.begins, self.commits


IDLE = 0  # psycopg.pq.TransactionStatus.IDLE


def database_cpu(runtime: PlatformRuntime) -> float | None:
    """Seconds of CPU the database's server processes for this database have used (Linux, same
    host); None when they cannot be read."""
    if runtime.engine.dialect.name != "postgresql":
        return None
    with runtime.engine.connect() as connection:
        pids = connection.execute(text("SELECT pid FROM pg_stat_activity"
                                       " WHERE datname = current_database()")).scalars().all()
    total = 0
    try:
        for pid in pids:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
    except (OSError, IndexError, ValueError):
        return None
    return total / os.sysconf("SC_CLK_TCK")


@contextmanager
def platform_app(backend: str) -> Iterator[tuple[Any, PlatformRuntime, str, str]]:
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-") as folder:
        database = nullcontext(None) if backend == "sqlite" else fresh_database(_pg_url(), "kiosk_bench")
        with database as url:
            settings = PlatformSettings(data_dir=Path(folder), database_url=url or "", offline_after_seconds=90,
                                        heartbeat_history_days=14, notify=False)
            runtime = build_runtime(settings)
            try:
                yield create_app(runtime=runtime), runtime, folder, url or ""
            finally:
                runtime.engine.dispose()


def measure(backend: str, stations: int, beats: int, profile: int) -> dict[str, Any]:
    with platform_app(backend) as (app, runtime, folder, url):
        fleet = enrol_fleet(SimpleNamespace(data_dir=Path(folder), database_url=url), stations, "cpu")  # type: ignore[arg-type]
        for uptime in (0.0, 1.0):  # the first records the state in full; the second is already unchanged
            assert set(asyncio.run(send_all(app, [signed_request(s, uptime) for s in fleet]))) == {200}
        counter = Counter()
        requests = [signed_request(fleet[n % len(fleet)], 2.0 + n) for n in range(beats)]
        before, db_before = counter.snapshot(), database_cpu(runtime)
        cpu, wall = time.process_time(), time.perf_counter()
        statuses = asyncio.run(send_all(app, requests))
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        after, db_after = counter.snapshot(), database_cpu(runtime)
        assert set(statuses) == {200}, statuses
        statements, begins, commits = (a - b for a, b in zip(after, before, strict=True))
        row = {"backend": backend, "beats": beats, "cpu_us": cpu / beats * 1e6, "wall_us": wall / beats * 1e6,
               "statements": statements / beats, "round_trips": (statements + begins + commits) / beats,
               "db_cpu_us": None if db_before is None or db_after is None
               else (db_after - db_before) / beats * 1e6}
        if profile:
            again = [signed_request(fleet[n % len(fleet)], 1e6 + n) for n in range(beats)]
            profiler = cProfile.Profile()
            with threads_inline():  # cProfile sees one thread only
                profiler.enable()
                asyncio.run(send_all(app, again))
                profiler.disable()
            pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(profile)
            pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(profile)
        return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backends", nargs="+", default=DEFAULT_BACKENDS,
                        help="sqlite and/or postgres (postgres needs KIOSK_TEST_PG_URL)")
    parser.add_argument("--stations", type=int, default=200)
    parser.add_argument("--beats", type=int, default=3000, help="unchanged heartbeats measured")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="print the N most expensive functions of a second, profiled pass")
    args = parser.parse_args(argv)
    rows = [measure(b, args.stations, args.beats, args.profile) for b in args.backends]
    print("| database | beats | CPU µs/beat (worker) | wall µs/beat | statements/beat | round trips/beat "
          "| database CPU µs/beat |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        db = "—" if r["db_cpu_us"] is None else f"{r['db_cpu_us']:.0f}"
        print(f"| {r['backend']} | {r['beats']:,} | {r['cpu_us']:.0f} | {r['wall_us']:.0f} | "
              f"{r['statements']:.2f} | {r['round_trips']:.2f} | {db} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
