"""Benchmark the console's fleet overview with a province-sized fleet: time to first paint in a real
browser, the page's size, and how many refreshes a burst of live changes costs.

    .venv/bin/python tests/bench/bench_console_fleet.py [--stations 10000] [--changes 100] [--runs 3]

Method: ``--stations`` stations are enrolled straight into PostgreSQL (KIOSK_TEST_PG_URL; see
fleet_identities.py) and given the state rows a reporting fleet has — last heartbeat, service,
paper, version and four components each — with a few in trouble (every 40th offline, every 97th
low on paper, every 151st with its printer cover open). A real platform serves the console;
Debian's Chromium (headless, through Playwright) signs in and opens /console, which lands on the
fleet overview. First paint is the browser's own first-contentful-paint (from the start of
navigation, so it includes the server's time); the HTML size is the document's decoded body.
Then, with the live stream connected, ``--changes`` offline stations send their first heartbeat
within one second (each one a ``station.state`` change on the staff stream) and every fetch the
page makes until it has been quiet for 1.5 s is counted with the bytes it received, and the time
from the burst's start to the last fetch's end: coalesced updates mean a few fetches, not one per
change.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_sync_fleet import COMPONENTS, heartbeat_body
from fleet_identities import enrol_fleet
from sqlalchemy import bindparam, update
from sync_bench_support import BenchStation, platform_on

from backend.platform.db.fleet_models import ComponentState, StationState
from backend.platform.db.session import make_engine, make_session_factory, write_transaction
from backend.platform.settings import PlatformSettings
from support.platform_stack import Platform

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PLATFORM_ENV = {"KIOSK_PLATFORM_OFFLINE_AFTER_SECONDS": "90", "KIOSK_PLATFORM_SWEEP_SECONDS": "600"}
OFFLINE_EVERY, LOW_PAPER_EVERY, COVER_OPEN_EVERY = 40, 97, 151


def fill_states(platform: Platform, fleet: list[BenchStation], changing: set[str]) -> None:
    """Give every station the state a reporting fleet has, a few of them in trouble; the
    ``changing`` ones offline (their next heartbeat is a change)."""
    url = PlatformSettings(data_dir=platform.data_dir,
                           database_url=platform.database_url or "").effective_database_url
    engine = make_engine(url)
    now = datetime.now(UTC)
    try:
        with write_transaction(make_session_factory(engine)) as session:
            states, parts = [], []
            for n, station in enumerate(fleet):
                offline = n % OFFLINE_EVERY == 0 or station.station_id in changing
                states.append({"b_id": station.station_id,
                               "last_seen": now - timedelta(hours=3) if offline else now,
                               "paper_level": "low" if n % LOW_PAPER_EVERY == 0 else "ok"})
                for c in COMPONENTS:
                    cover = c["id"] == "printer" and n % COVER_OPEN_EVERY == 0
                    parts.append({"station_id": station.station_id, "component_id": c["id"], "kind": c["kind"],
                                  "state": "ERROR" if cover else "READY", "code": "COVER_OPEN" if cover else "OK",
                                  "detail": "", "simulated": True, "changed_at": now})
            session.connection().execute(
                update(StationState.__table__).where(StationState.__table__.c.station_id == bindparam("b_id"))
                .values(last_seen=bindparam("last_seen"), paper_level=bindparam("paper_level"),
                        service_state="AVAILABLE", version="0.1.0", uptime_seconds=3600.0), states)
            session.connection().execute(ComponentState.__table__.insert(), parts)
    finally:
        engine.dispose()


async def burst(url: str, stations: list[BenchStation], seconds: float = 1.0) -> int:
    """Each station's heartbeat, spread evenly over ``seconds``; return how many were answered 200."""
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as client:
        async def one(index: int, station: BenchStation) -> bool:
            await asyncio.sleep(seconds * index / len(stations))
            body = heartbeat_body(station, 60.0)
            async with client.post(url, data=body, headers=station.signed("POST", url, body)) as response:
                await response.read()
                return response.status == 200
        return sum(await asyncio.gather(*(one(i, s) for i, s in enumerate(stations))))


class Fetches:
    """The page's fetches (live refreshes), as they start and finish."""

    def __init__(self, context: Any) -> None:
        self.started: list[float] = []
        self.finished: list[float] = []
        self.bytes = 0
        self.urls: set[str] = set()
        context.on("request", self._request)
        context.on("requestfinished", self._finished)
        context.on("requestfailed", lambda request: self._done(request, 0))

    def _request(self, request: Any) -> None:
        if request.resource_type == "fetch":
            self.started.append(time.perf_counter())
            self.urls.add(request.url.split("?")[0])

    def _finished(self, request: Any) -> None:
        if request.resource_type == "fetch":
            sizes = request.sizes()
            self._done(request, int(sizes.get("responseBodySize", 0)))

    def _done(self, request: Any, size: int) -> None:
        if request.resource_type == "fetch":
            self.finished.append(time.perf_counter())
            self.bytes += size

    @property
    def pending(self) -> int:
        return len(self.started) - len(self.finished)

    def reset(self) -> None:
        self.started, self.finished, self.bytes, self.urls = [], [], 0, set()


def first_paint(browser: Any, platform: Platform) -> dict[str, Any]:
    """Sign in, then open /console afresh; the browser's own timings and the document's size."""
    context = browser.new_context(base_url=platform.url, viewport={"width": 1366, "height": 900}, locale="zh-CN")
    context.set_default_timeout(120_000)
    page = context.new_page()
    page.goto("/console/login")
    page.get_by_label("用户名").fill("admin")
    page.get_by_label("密码").fill("kiosk-demo-admin")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/console/fleet*")
    page.goto("about:blank")
    fetches = Fetches(context)
    started = time.perf_counter()
    page.goto("/console", wait_until="load")
    loaded = time.perf_counter() - started
    # The paint entry may come after "load" (a small page loads before its first frame): wait for it.
    timing = page.evaluate("""async () => {
        const nav = performance.getEntriesByType('navigation')[0];
        const fcp = await new Promise(resolve => {
            const seen = performance.getEntriesByName('first-contentful-paint')[0];
            if (seen) return resolve(seen.startTime);
            new PerformanceObserver(list => {
                const entry = list.getEntriesByName('first-contentful-paint')[0];
                if (entry) resolve(entry.startTime);
            }).observe({type: 'paint', buffered: true});
            setTimeout(() => resolve(null), 10000);
        });
        return {fcp, response_end: nav.responseEnd, ttfb: nav.responseStart,
                bytes: nav.decodedBodySize, transfer: nav.transferSize,
                rows: document.querySelectorAll('#fleet-rows tr').length,
                nodes: document.getElementsByTagName('*').length};
    }""")
    return {"context": context, "page": page, "fetches": fetches, "load_ms": loaded * 1000, **timing}


def settle(page: Any, fetches: Fetches, quiet: float = 1.5, limit: float = 120) -> None:
    """Wait until no fetch has been under way for ``quiet`` seconds."""
    deadline = time.perf_counter() + limit
    calm_since = time.perf_counter()
    while time.perf_counter() < deadline:
        page.wait_for_timeout(100)
        if fetches.pending:
            calm_since = time.perf_counter()
        elif time.perf_counter() - calm_since >= quiet:
            return


def live_burst(page: Any, fetches: Fetches, platform: Platform, changing: list[BenchStation]) -> dict[str, Any]:
    """With the stream connected, ``changing`` stations come online within a second: count the fetches."""
    page.wait_for_function("() => (document.getElementById('live-status') || {}).textContent"
                           " && document.getElementById('live-status').textContent.indexOf('·') !== -1")
    settle(page, fetches)  # the refresh on connecting is done
    fetches.reset()
    began = time.perf_counter()
    # The burst runs on a thread of its own: Playwright's sync API holds this thread's event loop.
    with ThreadPoolExecutor(1) as pool:
        sent = pool.submit(asyncio.run, burst(platform.url + "/api/sync/heartbeat", changing))
        page.wait_for_timeout(3000)
        answered = sent.result()
    settle(page, fetches)
    last = max(fetches.finished, default=began)
    return {"answered": answered, "fetches": len(fetches.started), "fetch_bytes": fetches.bytes,
            "settled_ms": (last - began) * 1000, "urls": sorted(fetches.urls)}


def run(stations: int, changes: int, runs: int) -> dict[str, Any]:
    """Enrol the fleet, measure first paints and one live burst; print the row and return the figures."""
    from playwright.sync_api import sync_playwright

    with platform_on("postgres", env=PLATFORM_ENV) as platform:
        began = time.perf_counter()
        fleet = enrol_fleet(platform, stations, "fleet")
        changing = [s for n, s in enumerate(fleet) if n % OFFLINE_EVERY][:changes]
        fill_states(platform, fleet, {s.station_id for s in changing})
        print(f"{stations:,} stations enrolled with state rows in {time.perf_counter() - began:.1f} s", flush=True)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                paints = []
                for _ in range(runs):
                    paint = first_paint(browser, platform)
                    paints.append(paint)
                    if len(paints) < runs:
                        paint["context"].close()
                live = live_burst(paints[-1]["page"], paints[-1]["fetches"], platform, changing)
                paints[-1]["context"].close()
            finally:
                browser.close()
    fcp = [p["fcp"] for p in paints if p["fcp"] is not None]
    last = paints[-1]
    print("| stations | first paint ms (median of runs) | load ms | HTML bytes | rows in page | DOM nodes |"
          " changes in 1 s | fetches after | bytes fetched | last fetch done ms |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(f"| {stations:,} | {statistics.median(fcp):.0f} ({', '.join(f'{f:.0f}' for f in fcp)}) | "
          f"{statistics.median(p['load_ms'] for p in paints):.0f} | {last['bytes']:,} | {last['rows']:,} | "
          f"{last['nodes']:,} | {live['answered']} | {live['fetches']} | {live['fetch_bytes']:,} | "
          f"{live['settled_ms']:.0f} |")
    print(f"fetched: {', '.join(live['urls']) or 'nothing'}")
    return {"first_paint_ms": statistics.median(fcp), "fetches_after_burst": live["fetches"],
            "changes": live["answered"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stations", type=int, default=10_000)
    parser.add_argument("--changes", type=int, default=100, help="stations that change within one second")
    parser.add_argument("--runs", type=int, default=3, help="first paints measured (each a fresh page)")
    args = parser.parse_args(argv)
    run(args.stations, args.changes, args.runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
