"""Benchmark verifying a certificate token in-process beside raw Ed25519 on the same core.

    .venv/bin/python tests/bench/bench_verify.py [--rounds 3000] [--keys 10000]

A real certificate token (the station's claims, signed, zlib, base45, prefix) is verified with
``verify_certificate`` against a trust list of ``--keys`` station keys (a city's fleet), and the
raw Ed25519 signature check of the same bytes is timed in between, round by round, so both see
the same machine. Prints verifications per second for each and the ratio.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from backend.shared.certificate_claims import CERTIFICATE_PREFIX
from backend.shared.tokens import KeyBinding, KeySet, encode_token
from backend.shared.tokens.cose import decode as decode_cose
from backend.shared.tokens.ed25519 import Ed25519Signer
from backend.shared.verification import verify_certificate

CLAIMS = {1: "QS-460107-0001", -70001: {
    "t": "JZZM", "s": "2026-S01-000123", "c": "460107001001", "n": "王海燕",
    "m": "4601*************X", "h": bytes(16), "p": "school"}}


def measure(rounds: int, key_count: int) -> tuple[float, float]:
    """Verifications per second (median of interleaved rounds): the in-process token verify, and
    raw Ed25519 on the same bytes."""
    signer = Ed25519Signer(Ed25519PrivateKey.generate())
    keys = KeySet((Ed25519Signer(Ed25519PrivateKey.generate()).public_key for _ in range(key_count - 1)),
                  KeyBinding(station_id="QS-460107-other", community_code="460107001001", station_code="S99"))
    keys.add(signer.public_key, KeyBinding(station_id="QS-460107-0001", community_code="460107001001",
                                           station_code="S01"))
    now = datetime.now(UTC)
    token = encode_token(CLAIMS, signer=signer, prefix=CERTIFICATE_PREFIX, issued_at=now,
                         expires_at=now + timedelta(days=90))
    assert verify_certificate(token, keys=keys, now=now).valid
    raw_key = Ed25519PrivateKey.generate()
    message = decode_cose(_inflate(token))
    data, signature = message.to_be_signed(), raw_key.sign(message.to_be_signed())
    public = raw_key.public_key()
    token_times, raw_times = [], []
    for _ in range(rounds):
        started = time.perf_counter()
        verify_certificate(token, keys=keys, now=now)
        token_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        public.verify(signature, data)
        raw_times.append(time.perf_counter() - started)
    return 1 / statistics.median(token_times), 1 / statistics.median(raw_times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3000)
    parser.add_argument("--keys", type=int, default=10_000)
    args = parser.parse_args(argv)
    token_rate, raw_rate = measure(args.rounds, args.keys)
    print(f"## Certificate verification in-process ({args.rounds} rounds, interleaved, "
          f"trust list of {args.keys:,} keys)\n")
    print("| what | per second (median) |\n|---|---|")
    print(f"| verify_certificate (base45, zlib, COSE, Ed25519, claims) | {token_rate:,.0f} |")
    print(f"| raw Ed25519 verify of the same bytes | {raw_rate:,.0f} |")
    print(f"| ratio | {token_rate / raw_rate:.0%} |")
    return 0


def _inflate(token: str) -> bytes:
    import zlib

    from backend.shared.tokens import base45

    return zlib.decompress(base45.decode(token[len(CERTIFICATE_PREFIX):]))


if __name__ == "__main__":
    raise SystemExit(main())
