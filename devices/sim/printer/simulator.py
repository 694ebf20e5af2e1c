"""SimulatedPrinter: an ESC/POS receipt printer on a TCP port, with paper, faults and a job log."""

from __future__ import annotations

import logging
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from devices.sim.faults import find_fault

from .jobs import JobRecord, JobStore, render
from .modes import Modes
from .render_png import FontFile
from .server import Connection, RawPortServer
from .session import Session
from .state import PrinterState

log = logging.getLogger(__name__)
CHUNK = 4096


class SimulatedPrinter:
    """A twin of a thermal receipt printer: speaks ESC/POS on a raw TCP port, records each job.

    ``dot_width`` is 384 for 58 mm paper and 576 for 80 mm. ``chinese_default`` says whether the
    printer starts in Chinese (GB18030) mode, as printers sold in China do; by default it does not,
    so a driver that forgets FS & prints mojibake here as it would on such a printer.
    ``realtime_in_data`` makes DLE EOT n hidden inside image or symbol data answer too, as
    Epson printers do unless GS ( D turns it off. Without ``jobs_dir`` jobs go to a new
    temporary folder. ``font`` draws the job's image (NNNN.png): give a CJK one (``kiosk sim``
    gives the product's); without one, Pillow's own font draws Latin text only.
    """

    name = "printer"

    def __init__(self, host: str = "127.0.0.1", port: int = 0, jobs_dir: Path | None = None,
                 dot_width: int = 384, chinese_default: bool = False, *,
                 realtime_in_data: bool = False, font: FontFile | None = None) -> None:
        if jobs_dir is None:
            jobs_dir = Path(tempfile.mkdtemp(prefix="sim-printer-jobs-"))
        self.host, self.port = host, port
        self.dot_width = dot_width
        self.chinese_default = chinese_default
        self.realtime_in_data = realtime_in_data
        self.font = font
        self.state = PrinterState()
        self.store = JobStore(Path(jobs_dir))
        self._modes = Modes(chinese_default=chinese_default)
        self._modes_lock = threading.Lock()
        self._server: RawPortServer | None = None

    # -- Simulator protocol ---------------------------------------------------------------------

    @property
    def url(self) -> str:
        """Return tcp://HOST:PORT of the running simulator."""
        host, port = self._server.address if self._server else (self.host, self.port)
        return f"tcp://{host}:{port}"

    def start(self) -> None:
        """Open the port and start serving."""
        if self._server is not None:
            return
        self._server = RawPortServer(self.host, self.port, self._serve)
        self.host, self.port = self._server.address
        self._server.start()
        log.info("simulated printer listening on %s", self.url)

    def stop(self) -> None:
        """Close the port and every connection; jobs in progress are recorded as aborted."""
        server, self._server = self._server, None
        if server is not None:
            server.stop()

    def inject_fault(self, fault: str, **params: Any) -> None:
        """Switch a fault on; ``drop_connection`` acts once, closing every open connection."""
        if fault == "drop_connection":
            find_fault(self.name, fault)
            dropped = self._server.drop_all("connection_dropped") if self._server else 0
            log.info("simulated printer dropped %d connection(s)", dropped)
            return
        self.state.inject(fault, **params)
        log.info("simulated printer fault on: %s %s", fault, params or "")

    def clear_faults(self) -> None:
        """Switch every fault off and load a full roll."""
        self.state.clear()

    def refill(self) -> None:
        """Load a full roll of paper (clears paper_low and paper_out)."""
        self.state.refill()

    def describe(self) -> dict[str, Any]:
        """Return what a technician wants to see: paper, faults, jobs, connections."""
        return {
            "name": self.name,
            "url": self.url,
            "simulated": True,
            "running": self._server is not None,
            "dot_width": self.dot_width,
            "chinese_default": self.chinese_default,
            **self.state.describe(),
            "jobs": len(self.store.jobs()),
            "connections": self._server.active if self._server else 0,
            "jobs_dir": str(self.store.directory),
        }

    # -- jobs -----------------------------------------------------------------------------------

    def jobs(self) -> list[JobRecord]:
        """Return the jobs printed since start, oldest first."""
        return self.store.jobs()

    def last_job(self) -> JobRecord | None:
        """Return the most recent job, or None."""
        jobs = self.store.jobs()
        return jobs[-1] if jobs else None

    def wait_for_job(self, after_id: int = 0, timeout: float = 5.0) -> JobRecord:
        """Wait for the first job numbered after after_id (TimeoutError if none comes)."""
        return self.store.wait_for(after_id, timeout)

    # -- one connection -------------------------------------------------------------------------

    def _serve(self, conn: Connection) -> None:
        conn.wait_turn()
        with self._modes_lock:
            modes = self._modes.copy()
        session = Session(self.state, modes, self.dot_width,
                          realtime_in_data=self.realtime_in_data)
        error = self._pump(conn, session)
        conn.hang_up()  # before rendering, so a dropped client sees its reset at once
        with self._modes_lock:
            self._modes = session.modes.copy()
        result = session.finish(conn.drop_reason or error)
        if result is not None:
            self.store.add(render(result, self.font))

    def _pump(self, conn: Connection, session: Session) -> str | None:
        """Move bytes from the socket into the session until the client is done."""
        throttle = Throttle(self.state, conn.closing)
        try:
            while True:
                data = conn.recv(throttle.chunk_size())
                if not data:
                    return None
                throttle.pace(len(data))
                reply = session.feed(data)
                if reply and not self.state.offline:
                    conn.send(reply)
        except ConnectionResetError:
            return "connection_reset"
        except OSError as err:
            return f"connection_error: {err}"


class Throttle:
    """Hold reading to the slow fault's bytes_per_second, as a serial line would."""

    def __init__(self, state: PrinterState, interrupt: threading.Event) -> None:
        self._state = state
        self._interrupt = interrupt
        self._rate: float | None = None
        self._start = 0.0
        self._count = 0

    def chunk_size(self) -> int:
        """Return how many bytes to read at once (small when slow, for smooth pacing)."""
        rate = self._state.bytes_per_second()
        return CHUNK if rate is None else max(1, min(CHUNK, int(rate // 20)))

    def pace(self, received: int) -> None:
        """Wait until the bytes received so far could have crossed the line."""
        rate = self._state.bytes_per_second()
        if rate != self._rate:
            self._rate, self._start, self._count = rate, time.monotonic(), 0
        if rate is None:
            return
        self._count += received
        delay = self._start + self._count / rate - time.monotonic()
        if delay > 0:
            self._interrupt.wait(delay)
