"""Printing certificates: every attempt is a recorded job; a fault leaves the certificate issued
but not printed (state print_failed), and it prints again later under the same serial."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from backend.shared.catalog import Catalog
from backend.shared.errors import CERTIFICATE_NOT_FOUND, AppError, define
from backend.shared.protocol import EventType
from devices.errors import DeviceError
from devices.printer.document import Document

from ..clock import Clock
from ..db.models import Certificate, PrintJob
from ..db.session import write_transaction
from ..device_errors import device_app_error
from ..hardware.manager import DeviceManager
from . import outbox
from .issuing import move_certificate
from .receipts import certificate_receipt

NOT_FOUND = CERTIFICATE_NOT_FOUND  # (the name the routes import)
NOT_PRINTABLE = define("certificate.not_printable", 409, "这份证明当前不能打印。",
                       "This certificate cannot be printed now.")

PRINTABLE = {"issued": False, "print_failed": False, "printed": True}  # state -> is a reprint


def print_certificate(factory: sessionmaker[Session], devices: DeviceManager, *, certificate_id: str,
                      catalog: Catalog, issuer_name: str, clock: Clock, actor: str,
                      allow_reprint: bool = False) -> Certificate:
    """Print a certificate and record the outcome; raise AppError(printer.*) on a fault."""
    certificate, job_id = _start_job(factory, certificate_id, devices, clock.now(), allow_reprint)
    kind = catalog.get(certificate.type_code)
    assert kind is not None
    document = certificate_receipt(certificate, kind, issuer_name=issuer_name,
                                   reprint=certificate.print_count > 0)
    try:
        result = devices.print_document(document)
    except DeviceError as err:
        error = device_app_error("printer", err)
        _finish_job(factory, job_id, clock.now(), actor, error_code=error.code, bytes_sent=0)
        raise error from err
    return _finish_job(factory, job_id, clock.now(), actor, error_code="",
                       bytes_sent=result.bytes_sent)


def _start_job(factory: sessionmaker[Session], certificate_id: str, devices: DeviceManager,
               now: datetime, allow_reprint: bool) -> tuple[Certificate, int]:
    with write_transaction(factory) as session:
        certificate = session.get(Certificate, certificate_id)
        if certificate is None:
            raise AppError(NOT_FOUND)
        if certificate.state not in PRINTABLE or (PRINTABLE[certificate.state] and not allow_reprint):
            raise AppError(NOT_PRINTABLE, detail=certificate.state)
        job = PrintJob(certificate_id=certificate.id, kind="certificate",
                       printer_url=devices.printer_slot.configured_url, started_at=now,
                       result="printing")
        session.add(job)
        session.flush()
        return certificate, job.id


def _finish_job(factory: sessionmaker[Session], job_id: int, now: datetime, actor: str, *,
                error_code: str, bytes_sent: int) -> Certificate:
    with write_transaction(factory) as session:
        job = session.get(PrintJob, job_id)
        assert job is not None and job.certificate_id is not None
        certificate = session.get(Certificate, job.certificate_id)
        assert certificate is not None
        job.finished_at, job.bytes_sent = now, bytes_sent
        job.result, job.error_code = ("failed", error_code) if error_code else ("printed", "")
        to_state = "print_failed" if error_code else "printed"
        if not error_code:
            certificate.print_count += 1
        move_certificate(session, certificate, to_state, actor=actor, at=now, reason=error_code)
        outbox.record(session, event_type=EventType(f"certificate.{to_state}"), aggregate_id=certificate.id,
                      payload={"id": certificate.id, "serial": certificate.serial,
                               "error_code": error_code, "print_count": certificate.print_count,
                               "at": now.isoformat()}, at=now)
    return certificate


def interrupted_jobs(session: Session) -> list[PrintJob]:
    """Jobs left 'printing' by a crash: their outcome is unknown, the certificate can be reprinted."""
    return list(session.scalars(select(PrintJob).where(PrintJob.result == "printing")))


def print_slip(factory: sessionmaker[Session], devices: DeviceManager, *, document: Document,
               kind: str, clock: Clock) -> int:
    """Print a slip (application, ticket…) as a recorded job; raise AppError(printer.*) on a fault."""
    with write_transaction(factory) as session:
        job = PrintJob(kind=kind, printer_url=devices.printer_slot.configured_url,
                       started_at=clock.now(), result="printing")
        session.add(job)
        session.flush()
        job_id = job.id
    try:
        result = devices.print_document(document)
    except DeviceError as err:
        error = device_app_error("printer", err)
        _close_job(factory, job_id, clock.now(), error.code, 0)
        raise error from err
    _close_job(factory, job_id, clock.now(), "", result.bytes_sent)
    return job_id


def _close_job(factory: sessionmaker[Session], job_id: int, now: datetime, error_code: str,
               bytes_sent: int) -> None:
    with write_transaction(factory) as session:
        job = session.get(PrintJob, job_id)
        assert job is not None
        job.finished_at, job.bytes_sent = now, bytes_sent
        job.result, job.error_code = ("failed", error_code) if error_code else ("printed", "")
