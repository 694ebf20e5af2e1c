"""Benchmark one ID card read over the simulated serial link (a pseudo-terminal), by baud rate.

    .venv/bin/python tests/bench/bench_idcard.py [--reads 30]

The simulated reader paces its replies at the line's baud rate (10 bits per byte), so the time
is what a GA 467 module on that line would take: find card, select card, read basic information
(text and the 1,024-byte photo). The line's own share is printed beside it.
"""

from __future__ import annotations

import argparse
import statistics
import time

from devices.idcard.protocol import wire_seconds
from devices.idcard.reader import IdCardReader
from devices.sim.idcard import SimulatedIdCardReader
from support.demo_cards import demo_card

REQUEST_BYTES = 3 * 10  # three request frames of 10 bytes
REPLY_BYTES = 11 + 11 + 1295  # find, select, read basic information (4 + 256 text + 1,024 photo)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reads", type=int, default=30)
    args = parser.parse_args()
    print("| baud | median ms | p95 ms | on the line ms |\n|---|---|---|---|")
    for baud in (115200, 38400, 9600):
        times = _measure(baud, args.reads if baud > 9600 else max(5, args.reads // 6))
        line = wire_seconds(REQUEST_BYTES + REPLY_BYTES, baud) * 1000
        ordered = sorted(times)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        print(f"| {baud} | {statistics.median(times) * 1000:.1f} | {p95 * 1000:.1f} | {line:.1f} |")


def _measure(baud: int, reads: int) -> list[float]:
    with SimulatedIdCardReader(transport="pty", baudrate=baud) as simulator:
        simulator.insert_card(demo_card(0))
        with IdCardReader(simulator.url, baudrate=baud, timeout=5) as reader:
            reader.read_card()  # warm: open the port, first frames
            times = []
            for _ in range(reads):
                started = time.perf_counter()
                card = reader.read_card()
                times.append(time.perf_counter() - started)
                assert card is not None
    return times


if __name__ == "__main__":
    main()
