"""Run the simulated printer on its own: ``python -m devices.sim.printer --port 9100``."""

from __future__ import annotations

import argparse
import logging
import threading
from pathlib import Path

from .render_png import FontFile
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
    parser.add_argument("--font", type=Path, default=None,
                        help="font file for the jobs' images (a CJK one; default: Pillow's, Latin only)")
    parser.add_argument("--font-index", type=int, default=0, help="the face to use in a .ttc file")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    font = FontFile(args.font, args.font_index) if args.font else None
    printer = SimulatedPrinter(args.host, args.port, args.jobs_dir, args.dot_width,
                               args.chinese_default, font=font)
    printer.start()
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        printer.stop()


if __name__ == "__main__":
    main()
