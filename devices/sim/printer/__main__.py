"""Run the simulated printer on its own: ``python -m devices.sim.printer --port 9100``."""

from __future__ import annotations

import argparse
import logging
import threading
from pathlib import Path

from .simulator import SimulatedPrinter


def main(argv: list[str] | None = None) -> None:
    """Serve until interrupted, logging each job."""
    parser = argparse.ArgumentParser(description="Simulated ESC/POS receipt printer on TCP")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9100)
    parser.add_argument("--jobs-dir", type=Path, default=Path("sim-printer-jobs"))
    parser.add_argument("--dot-width", type=int, default=384, help="384 (58 mm) or 576 (80 mm)")
    parser.add_argument("--chinese-default", action="store_true",
                        help="start in Chinese (GB18030) mode, as printers sold in China do")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    printer = SimulatedPrinter(args.host, args.port, args.jobs_dir, args.dot_width,
                               args.chinese_default)
    printer.start()
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        printer.stop()


if __name__ == "__main__":
    main()
