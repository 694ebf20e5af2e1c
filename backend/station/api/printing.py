"""Printing a slip from a route: off the event loop, as a recorded job.

The printer driver blocks (a serial or USB write, then a status query), so a route hands the job
to the thread pool; ``print_slip`` records the job and raises ``AppError(printer.*)`` on a fault.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool

from devices.printer.document import Document

from ..runtime import StationRuntime
from ..services.printing import print_slip


async def print_document(runtime: StationRuntime, document: Document, *, kind: str) -> int:
    """Print ``document`` as a job of ``kind``; the job's id."""
    return await run_in_threadpool(print_slip, runtime.db, runtime.devices, document=document,
                                   kind=kind, clock=runtime.clock)
