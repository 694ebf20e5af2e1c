"""Benchmark the certificate receipt: confirm-to-printer time, and bytes and wire time by QR kind.

    .venv/bin/python tests/bench/bench_certificate.py [--rounds 30]

1. Runs ``kiosk sim`` and ``kiosk station`` on loopback in a temporary data folder, identifies a
   demo resident with the simulated card, then, ``--rounds`` times, does what the kiosk does on
   "confirm": POST /api/certificates, then POST …/print. It reports the time from the confirm
   request to the moment the simulated printer had received the whole job (the job record's
   ``ended``), and the station's own print time, median and p95.
2. Renders one real certificate receipt (the last one issued) for the 58 mm and 80 mm profiles with
   a native QR (GS ( k) and with a raster QR, and reports the job bytes and their time on a serial
   line at 9600 and 115200 baud (10 bits per byte). A thermal printer's own speed (~60–100 mm/s,
   i.e. 1–2 s for this receipt) is the physical bound either way on a network printer.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/support

from backend.shared.catalog import load_catalog
from devices.printer.profiles import get_profile
from devices.printer.render import render_bytes
from support.stack import Station, simulators, station


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder) / "data"
        with simulators(data_dir) as sims, station(data_dir) as running:
            confirm, printing, token = _rounds(running, sims, args.rounds)
            certificate_row = _last_certificate(data_dir)
    print(f"## Certificate: confirm → printer received ({args.rounds} rounds, loopback, simulated printer)\n")
    print("| measure | median ms | p95 ms |\n|---|---|---|")
    print(f"| confirm → whole job received by the printer | {_ms(confirm, 50)} | {_ms(confirm, 95)} |")
    print(f"| station print call (status, send, wait for GS r, status) | {_ms(printing, 50)} | {_ms(printing, 95)} |")
    print(f"\nQR token: {len(token)} base45 characters\n")
    _bytes_table(certificate_row)


def _rounds(running: Station, sims: object, rounds: int) -> tuple[list[float], list[float], str]:
    client = running.client()
    session = client.post("/api/sessions", json={"service": "certificates"}).json()["id"]
    sims.insert_card("1")  # type: ignore[attr-defined]
    while not client.get(f"/api/sessions/{session}").json()["identity"]:
        time.sleep(0.02)
    confirm: list[float] = []
    printing: list[float] = []
    jobs_dir = Path(sims.endpoints["jobs_dir"])  # type: ignore[attr-defined]
    for n in range(rounds):
        started = datetime.now().astimezone()
        issued = client.post("/api/certificates", json={
            "session_id": session, "type_code": "JZZM", "purpose": "school",
            "idempotency_key": f"bench-{n:05d}-{time.time_ns()}"}).json()
        before_print = time.perf_counter()
        printed = client.post(f"/api/certificates/{issued['id']}/print", json={"session_id": session})
        printing.append(time.perf_counter() - before_print)
        assert printed.status_code == 200, printed.text
        job = sims.wait_for_jobs(n + 1)[n]  # type: ignore[attr-defined]
        confirm.append((datetime.fromisoformat(job["ended"]) - started).total_seconds())
    token = json.loads((jobs_dir / f"{rounds:04d}.json").read_text())["qr_codes"][0]["payload"]
    client.close()
    return confirm, printing, token


def _last_certificate(data_dir: Path) -> object:
    from sqlalchemy import select

    from backend.station.db.models import Certificate
    from backend.station.db.session import make_engine, make_session_factory

    factory = make_session_factory(make_engine(f"sqlite:///{data_dir / 'station.db'}"))
    with factory() as db:
        return db.scalars(select(Certificate).order_by(Certificate.issued_at.desc())).first()


def _bytes_table(certificate: object) -> None:
    import assets
    from backend.station.services.receipts import certificate_receipt

    kind = load_catalog(assets.path("catalog", "certificates.yaml")).get("JZZM")
    assert kind is not None
    document = certificate_receipt(certificate, kind, issuer_name="桂林社区居民委员会")  # type: ignore[arg-type]
    print("## Certificate receipt on the wire\n")
    print("| profile | QR | bytes | at 9600 baud | at 115200 baud |\n|---|---|---|---|---|")
    for name in ("58mm", "80mm"):
        for native in (True, False):
            profile = replace(get_profile(name), native_qr=native)
            size = len(render_bytes(document, profile))
            print(f"| {name} | {'native GS ( k' if native else 'raster'} | {size:,} | "
                  f"{size * 10 / 9600:.2f} s | {size * 10 / 115200 * 1000:.0f} ms |")


def _ms(values: list[float], percentile: int) -> str:
    ordered = sorted(values)
    if percentile == 50:
        return f"{statistics.median(ordered) * 1000:.0f}"
    index = min(len(ordered) - 1, round(percentile / 100 * (len(ordered) - 1)))
    return f"{ordered[index] * 1000:.0f}"


if __name__ == "__main__":
    main()
