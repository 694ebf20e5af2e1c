"""What the station needs from a receipt printer."""

from __future__ import annotations

import os

from devices.model import ComponentKind
from devices.printer.driver import EscposPrinter, ReceiptPrinter
from devices.printer.profiles import get_profile
from devices.printer.samples import sample_certificate

from .conftest import Target


def _printer(target: Target) -> EscposPrinter:
    profile = get_profile(os.environ.get("KIOSK_HW_PRINTER_PROFILE", "58mm"))
    return EscposPrinter(target.url, profile, simulated=not target.on_hardware, component_id="printer")


def test_it_describes_itself_and_reports_a_usable_status(printer_target: Target) -> None:
    printer = _printer(printer_target)
    assert isinstance(printer, ReceiptPrinter)
    info = printer.info()
    assert info.kind is ComponentKind.RECEIPT_PRINTER and info.simulated is not printer_target.on_hardware
    assert printer.status().usable


def test_it_prints_a_certificate_and_confirms_it(printer_target: Target) -> None:
    result = _printer(printer_target).print_document(sample_certificate())
    assert result.status_before.usable and result.status_after.usable
    assert result.bytes_sent > 500
    if printer_target.simulator is not None:
        job = printer_target.simulator.wait_for_job(timeout=5)
        assert job.status == "complete" and job.qr_codes
