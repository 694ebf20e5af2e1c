"""Benchmark issuing and verifying certificates over HTTP, beside a trivial endpoint of the same app.

    .venv/bin/python tests/bench/bench_issue_verify.py [--rounds 200]

Runs ``kiosk sim`` and ``kiosk station`` on loopback and, in one run, interleaves three requests:
GET /api/health (the trivial endpoint: what HTTP + the framework cost), POST /api/certificates
(eligibility against the register, a serial under the write lock, signing, persisting with the
outbox event, rendering the certificate text), and POST /api/verify of a real token. Prints median
and p99 for each, then the token length and QR version at level Q for every issuable type.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx
import qrcode
from qrcode.constants import ERROR_CORRECT_Q

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/support

from support.stack import simulators, station

STAFF = {"Authorization": "Bearer demo-staff-token"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder) / "data"
        with simulators(data_dir) as sims, station(data_dir) as running, \
                running.client() as client:
            session = _identify(client, sims, "1")
            times = _interleaved(client, sims, session, args.rounds)
            tokens = _tokens_per_type(client, sims)
    print(f"## Issue and verify over HTTP ({args.rounds} rounds each, interleaved, loopback)\n")
    print("| request | median ms | p99 ms |\n|---|---|---|")
    for name, values in times.items():
        print(f"| {name} | {_pct(values, 50):.2f} | {_pct(values, 99):.2f} |")
    print("\n## Token size per certificate type\n")
    print("| type | token characters | QR version at level Q |\n|---|---|---|")
    for code, token in tokens.items():
        qr = qrcode.QRCode(error_correction=ERROR_CORRECT_Q)
        qr.add_data(token)
        qr.make(fit=True)
        print(f"| {code} | {len(token)} | {qr.version} |")


def _identify(client: httpx.Client, sims: object, resident: str) -> str:
    sims.remove_card()  # type: ignore[attr-defined]
    sims.insert_card(resident)  # type: ignore[attr-defined]
    session = str(client.post("/api/sessions", json={"service": "certificates"}).json()["id"])
    while not client.get(f"/api/sessions/{session}").json()["identity"]:
        time.sleep(0.02)
    return session


def _interleaved(client: httpx.Client, sims: object, session: str, rounds: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {"GET /api/health (trivial)": [], "POST /api/certificates (issue)": [],
                                     "POST /api/verify": []}
    token = ""
    for n in range(rounds):
        started = time.perf_counter()
        client.get("/api/health")
        times["GET /api/health (trivial)"].append(time.perf_counter() - started)
        started = time.perf_counter()
        issued = client.post("/api/certificates", json={
            "session_id": session, "type_code": "JZZM", "purpose": "school",
            "idempotency_key": f"bench-issue-{n:06d}"})
        times["POST /api/certificates (issue)"].append(time.perf_counter() - started)
        assert issued.status_code == 201, issued.text
        token = token or _printed_token(client, sims, issued.json()["id"], session)
        started = time.perf_counter()
        verdict = client.post("/api/verify", json={"token": token})
        times["POST /api/verify"].append(time.perf_counter() - started)
        assert verdict.json()["valid"], verdict.text
    return times


def _tokens_per_type(client: httpx.Client, sims: object) -> dict[str, str]:
    tokens: dict[str, str] = {}
    requests = {"JZZM": ("1", "school", {}), "ZZZM": ("3", "residence_permit", {"tenancy_start": "2023-06"})}
    for code, (resident, purpose, fields) in requests.items():
        session = _identify(client, sims, resident)
        issued = client.post("/api/certificates", json={"session_id": session, "type_code": code,
                                                         "purpose": purpose, "fields": fields,
                                                         "idempotency_key": f"bench-type-{code}"}).json()
        tokens[code] = _printed_token(client, sims, issued["id"], session)
    session = _identify(client, sims, "6")
    application = client.post("/api/applications", json={
        "session_id": session, "type_code": "PKXS", "purpose": "grant", "idempotency_key": "bench-type-PKXS",
        "fields": {"school": "海口市第一中学"}}).json()
    decided = client.post(f"/api/staff/applications/{application['id']}/decision", headers=STAFF,
                          json={"approve": True, "staff": "bench"}).json()
    tokens["PKXS"] = _printed_token(client, sims, decided["certificate_id"], session)
    return tokens


def _printed_token(client: httpx.Client, sims: object, certificate_id: str, session: str) -> str:
    before = len(sims.jobs())  # type: ignore[attr-defined]
    client.post(f"/api/certificates/{certificate_id}/print", json={"session_id": session})
    return str(sims.wait_for_jobs(before + 1)[-1]["qr_codes"][0]["payload"])  # type: ignore[attr-defined]


def _pct(values: list[float], percentile: int) -> float:
    if percentile == 50:
        return statistics.median(values) * 1000
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(percentile / 100 * (len(ordered) - 1)))] * 1000


if __name__ == "__main__":
    main()
