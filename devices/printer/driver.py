"""The receipt printer driver: status, then the job, then status again, all bounded by timeouts.

``ReceiptPrinter`` is the contract the station depends on; ``EscposPrinter`` implements it for
any ESC/POS printer python-escpos can reach (tcp://, serial://, usb://, file://), and reaches the
simulated printer the same way, over TCP. Every call blocks: run it in a worker thread.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from devices.errors import (
    DeviceConfigError,
    DeviceError,
    DeviceTimeoutError,
    error_for_status,
)
from devices.model import ComponentInfo, ComponentKind, ComponentState, ComponentStatus, StatusCode
from devices.urls import PRINTER_SCHEMES, parse_device_url

from .document import Document
from .profiles import PrinterProfile
from .render import render_bytes
from .status import JobEnd, PrinterStatus, query_status, wait_printed
from .transport import TWO_WAY_SCHEMES, Connection, device_errors, open_connection

log = logging.getLogger(__name__)

# How long a job may take to print, beyond sending: a base plus time per byte (a 15 kB raster
# QR receipt takes a few seconds on a slow printer; 9600 baud moves under 1 kB/s).
JOB_BASE_TIMEOUT = 10.0
JOB_SECONDS_PER_BYTE = 1 / 1000


@dataclass(frozen=True)
class PrintResult:
    """What happened to one print job."""

    bytes_sent: int
    duration_s: float
    status_before: ComponentStatus
    status_after: ComponentStatus
    confirmed: bool  # the printer said it printed everything (GS r 1 answered)


@runtime_checkable
class ReceiptPrinter(Protocol):
    """What the station needs from a receipt printer; swap implementations freely."""

    def info(self) -> ComponentInfo:
        """Describe the printer (kind, URL, simulated, profile characteristics)."""
        ...

    def status(self) -> ComponentStatus:
        """Ask the printer how it is; never raises for device faults."""
        ...

    def print_document(self, doc: Document) -> PrintResult:
        """Print a receipt or raise a DeviceError subclass saying why it was not printed."""
        ...


class EscposPrinter:
    """An ESC/POS receipt printer reached through python-escpos."""

    def __init__(
        self,
        url: str,
        profile: PrinterProfile,
        *,
        simulated: bool = False,
        connect_timeout: float = 3.0,
        status_timeout: float = 1.0,
        job_timeout: float | None = None,
        component_id: str = "receipt_printer",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = parse_device_url(url, allowed=PRINTER_SCHEMES)
        if self.url.scheme == "sim":
            raise DeviceConfigError(f"{url}: give the simulator's tcp:// URL with simulated=True")
        self.profile = profile
        self.simulated = simulated
        self.component_id = component_id
        self.connect_timeout = connect_timeout
        self.status_timeout = status_timeout
        self.job_timeout = job_timeout
        self._clock = clock
        self._lock = threading.Lock()  # one operation on the printer at a time

    def info(self) -> ComponentInfo:
        """Describe the printer from its URL and profile."""
        characteristics = {
            **self.profile.characteristics(),
            "transport": self.url.scheme,
            "status_readable": self.url.scheme in TWO_WAY_SCHEMES,
        }
        return ComponentInfo(self.component_id, ComponentKind.RECEIPT_PRINTER, self.url.raw,
                             self.simulated, characteristics)

    def status(self) -> ComponentStatus:
        """Return the printer's status; BUSY while a job holds it, never raises DeviceError."""
        if not self._lock.acquire(timeout=self.status_timeout):
            return ComponentStatus(ComponentState.BUSY, StatusCode.OK, "printing")
        try:
            with self._connect() as connection:
                return self._read_status(connection).to_component_status()
        except DeviceError as err:
            return ComponentStatus.unavailable(err.status_code, str(err))
        finally:
            self._lock.release()

    def print_document(self, doc: Document) -> PrintResult:
        """Check the printer, send the job, wait until it is printed, check again."""
        job = render_bytes(doc, self.profile)  # a bad document fails before any I/O
        if not self._lock.acquire(timeout=self.connect_timeout + self.status_timeout):
            raise DeviceTimeoutError("printer is busy with another operation")
        try:
            return self._print(job)
        finally:
            self._lock.release()

    def _print(self, job: bytes) -> PrintResult:
        started = self._clock()
        with self._connect() as connection:
            before = self._read_status(connection).to_component_status()
            _refuse_unless_usable(before, "before printing; nothing was sent")
            connection.send(job, timeout=self._job_timeout(len(job)))
            end = self._wait_printed(connection, len(job))
            after = self._read_status(connection).to_component_status()
        result = PrintResult(len(job), self._clock() - started, before, after,
                             end is JobEnd.PRINTED)
        self._check_after(result, end)
        log.info("printed a job of %d bytes in %.2f s (%s)", result.bytes_sent,
                 result.duration_s, "confirmed" if result.confirmed else "unconfirmed")
        return result

    def _check_after(self, result: PrintResult, end: JobEnd | None) -> None:
        after = result.status_after
        sent = f"{result.bytes_sent} bytes sent"
        if not after.usable:
            log.warning("print job failed: %s (%s)", after.code.value, sent)
            _refuse_unless_usable(after, f"during the job; {sent}")
        if end is JobEnd.TIMEOUT:
            log.warning("printer did not confirm the job within the timeout (%s)", sent)
            raise DeviceTimeoutError(f"printer did not confirm the job was printed; {sent}")

    def _connect(self) -> Connection:
        return open_connection(self.url, self.profile, timeout=self.connect_timeout)

    def _read_status(self, connection: Connection) -> PrinterStatus:
        if connection.link is None:
            return PrinterStatus.not_readable()
        with device_errors(f"reading status of {self.url.raw}"):
            return query_status(connection.link, self.status_timeout, clock=self._clock)

    def _wait_printed(self, connection: Connection, size: int) -> JobEnd | None:
        if connection.link is None or not self.profile.job_end_query:
            return None  # nothing to wait on: the status check right after is all there is
        with device_errors(f"waiting for {self.url.raw} to print"):
            return wait_printed(connection.link, self._job_timeout(size), clock=self._clock)

    def _job_timeout(self, size: int) -> float:
        if self.job_timeout is not None:
            return self.job_timeout
        return JOB_BASE_TIMEOUT + size * JOB_SECONDS_PER_BYTE


def _refuse_unless_usable(status: ComponentStatus, when: str) -> None:
    if not status.usable:
        raise error_for_status(status.code, f"printer {status.detail or status.code.value} {when}")
