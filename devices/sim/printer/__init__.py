"""The simulated receipt printer: ESC/POS over TCP, with paper, faults and a job log.

    parser          frame the byte stream into commands (incremental)
    interpreter     apply commands to the modes and line buffer, producing printed blocks
    layout, page    lines and blocks of the printed page
    render_text     the page as text (NNNN.txt)
    render_png      the page as an image, one pixel per dot (NNNN.png)
    status, state   sensors, faults and the real-time status bytes
    session         one connection: print or discard, answer status at once
    jobs            job records and the jobs folder
    server          the raw TCP port
    simulator       SimulatedPrinter, which puts it together
"""

from .jobs import JobRecord
from .render_png import FontFile
from .simulator import SimulatedPrinter

__all__ = ["FontFile", "JobRecord", "SimulatedPrinter"]
