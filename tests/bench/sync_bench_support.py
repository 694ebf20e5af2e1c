"""What the sync benchmarks share: a platform process on SQLite or a fresh PostgreSQL database,
lightweight stations (a real request key, enrolled over HTTP, no kiosk), signed requests."""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for support.*

from backend.shared.protocol import sign_request
from backend.shared.tokens import ExportableSigner, export_jwks, generate_signer
from support.platform_stack import Platform, running_platform
from support.postgres import fresh_database

COMMUNITY = "460107002001"
DEFAULT_BACKENDS = ["sqlite", "postgres"] if os.environ.get("KIOSK_TEST_PG_URL") else ["sqlite"]


@contextmanager
def platform_on(backend: str, env: dict[str, str] | None = None, workers: int = 1) -> Iterator[Platform]:
    """A platform process (``workers`` of them behind one port) on ``sqlite`` (a temporary folder)
    or ``postgres`` (KIOSK_TEST_PG_URL)."""
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-") as folder:
        database = nullcontext(None) if backend == "sqlite" else fresh_database(_pg_url(), "kiosk_bench")
        with database as url, running_platform(Path(folder), url, env=env, workers=workers) as platform:
            yield platform


def _pg_url() -> str:
    url = os.environ.get("KIOSK_TEST_PG_URL", "")
    if not url:
        raise SystemExit("set KIOSK_TEST_PG_URL (scripts/ensure-postgres prints one) to bench PostgreSQL")
    return url


@dataclass
class BenchStation:
    station_id: str
    station_code: str
    signer: ExportableSigner

    def signed(self, method: str, url: str, body: bytes) -> dict[str, str]:
        headers = {"Content-Type": "application/json"}
        return headers | sign_request(method=method, url=url, headers=headers, body=body,
                                      signer=self.signer, keyid=self.station_id, created=int(time.time()))


_codes = iter(range(1000))  # station codes S000..S999 are unique within the community


def enrol_stations(platform: Platform, count: int, prefix: str) -> list[BenchStation]:
    """Create and enrol ``count`` stations as staff and as the stations themselves would."""
    stations = []
    with platform.staff() as staff, httpx.Client(base_url=platform.url, timeout=30) as public:
        for n in range(count):
            station = BenchStation(f"{prefix}-{n:04d}", f"S{next(_codes):03d}", generate_signer())
            created = staff.post("/api/staff/stations", json={
                "station_id": station.station_id, "name": station.station_id,
                "community_code": COMMUNITY, "station_code": station.station_code})
            created.raise_for_status()
            code = staff.post(f"/api/staff/stations/{station.station_id}/enrolment-codes").json()["code"]
            enrolled = public.post("/api/sync/enroll", json={
                "code": code, "request_key": export_jwks([station.signer.public_key])["keys"][0],
                "certificate_keys": export_jwks([generate_signer().public_key])})
            enrolled.raise_for_status()
            stations.append(station)
    return stations


def certificate_event(seq: int, station_code: str) -> dict[str, Any]:
    """A certificate.issued event the size a real one is."""
    cid = str(uuid.uuid4())
    now = datetime.now(UTC)
    return {"seq": seq, "type": "certificate.issued", "aggregate_id": cid, "created_at": now.isoformat(),
            "payload": {"id": cid, "serial": f"2026-{station_code}-{seq:06d}",
                        "identifier": f"1.2.156.3005.2.JZZM.11460107MB1234567X.2026{station_code}{seq:06d}.001.X",
                        "type_code": "JZZM", "holder_id_masked": "4601*************2", "purpose": "school",
                        "issued_at": now.isoformat(), "expires_at": (now + timedelta(days=90)).isoformat()}}


def events_body(station: BenchStation, first_seq: int, count: int) -> bytes:
    events = [certificate_event(first_seq + n, station.station_code) for n in range(count)]
    return json.dumps({"station_id": station.station_id, "events": events}).encode()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))
    return ordered[index]
