"""The driver against the simulated printer (devices.sim.printer): what comes out on paper.

The simulator interprets ESC/POS, keeps paper and faults, and scans the codes it drew, so these
tests check the receipt as a resident would see it. The happy path re-runs on a real printer
when KIOSK_HW_PRINTER names its URL (KIOSK_HW_PROFILE its profile, 58mm by default).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from devices.errors import (
    CoverOpenError,
    DeviceError,
    DeviceNotRespondingError,
    MediaEmptyError,
    MediaJammedError,
)
from devices.model import StatusCode
from devices.printer import EscposPrinter, get_profile
from devices.printer.layout import display_width
from devices.printer.samples import sample_certificate, sample_payload
from devices.sim.pytest_plugin import hardware_url


def _driver(url: str, profile: str = "58mm", **kwargs: Any) -> EscposPrinter:
    kwargs.setdefault("status_timeout", 0.5)
    return EscposPrinter(url, get_profile(profile), simulated=True, **kwargs)


def test_certificate_prints_on_hardware_or_the_simulator(sim_printer: Any) -> None:
    url = hardware_url("printer") or sim_printer.url
    printer = EscposPrinter(url, get_profile(os.environ.get("KIOSK_HW_PROFILE", "58mm")))
    assert printer.status().code in (StatusCode.OK, StatusCode.MEDIA_LOW)
    result = printer.print_document(sample_certificate())
    assert result.confirmed and result.status_after.usable


def _printed(sim: Any, profile: str) -> Any:
    _driver(sim.url, profile).print_document(sample_certificate())
    job = sim.wait_for_job()
    assert job.complete and not job.unknown_commands and not job.warnings
    return job


def test_sample_certificate_on_58mm_paper(sim_printer: Any) -> None:
    job = _printed(sim_printer, "58mm")
    lines = job.text.splitlines()
    assert lines[0].strip() == "居住证明"
    assert "住址" in lines and "  区（3号楼2单元401室）" in lines  # wrapped under its key
    assert "居住期限：         2019年3月至今" in lines  # full-width colon, value right-aligned
    assert all(display_width(line) <= 32 for line in lines if "[" not in line)
    qr, barcode = job.scanned
    assert (qr["text"], qr["error_correction"]) == (sample_payload(), "Q")
    assert barcode["text"] == "JZ2026000123"
    assert job.qr_codes[0]["module_size"] == 4 and job.qr_codes[0]["modules"] == 85


@pytest.fixture
def sim_printer_80mm(tmp_path: Path) -> Iterator[Any]:
    from devices.sim.printer import SimulatedPrinter
    from kioskcli.sim_data import printer_font

    printer = SimulatedPrinter(port=0, jobs_dir=tmp_path / "jobs", dot_width=576, font=printer_font())
    printer.start()
    yield printer
    printer.stop()


def test_sample_certificate_on_80mm_paper(sim_printer_80mm: Any) -> None:
    job = _printed(sim_printer_80mm, "80mm")
    lines = job.text.splitlines()
    address = lines.index("住址")
    assert lines[address + 1: address + 3] == ["  北京市东城区东华门街道多福巷社区（3号楼2单元",
                                               "  401室）"]  # "401" is not split
    assert all(display_width(line) <= 48 for line in lines if "[" not in line)
    assert [s["text"] for s in job.scanned] == [sample_payload(), "JZ2026000123"]


def test_raster_qr_on_a_printer_without_gs_k_scans(sim_printer: Any) -> None:
    job = _printed(sim_printer, "58mm-basic")
    assert job.scanned[0]["text"] == sample_payload()
    assert not job.qr_codes  # drawn from the raster image, not by the printer


def test_without_fs_and_a_printer_not_in_chinese_mode_prints_mojibake(sim_printer: Any) -> None:
    profile = dataclasses.replace(get_profile("58mm"), needs_fs_and=False)
    EscposPrinter(sim_printer.url, profile).print_document(sample_certificate())
    assert "居住证明" not in sim_printer.wait_for_job().text  # why the profiles say FS &


@pytest.mark.parametrize(
    ("fault", "code", "error"),
    [
        ("paper_out", StatusCode.MEDIA_EMPTY, MediaEmptyError),
        ("cover_open", StatusCode.COVER_OPEN, CoverOpenError),
        ("jam", StatusCode.MEDIA_JAMMED, MediaJammedError),
        ("offline", StatusCode.NOT_RESPONDING, DeviceNotRespondingError),
    ],
)
def test_fault_is_reported_and_refuses_the_job(
    sim_printer: Any, fault: str, code: StatusCode, error: type[DeviceError]
) -> None:
    sim_printer.inject_fault(fault)
    printer = _driver(sim_printer.url, status_timeout=0.3)
    assert printer.status().code is code
    with pytest.raises(error):
        printer.print_document(sample_certificate())
    assert sim_printer.jobs() == []  # status questions only: nothing printed


def test_paper_low_prints_and_warns(sim_printer: Any) -> None:
    sim_printer.inject_fault("paper_low")
    result = _driver(sim_printer.url).print_document(sample_certificate())
    assert result.status_after.code is StatusCode.MEDIA_LOW


def test_paper_running_out_mid_job_fails_the_job(sim_printer: Any) -> None:
    sim_printer.inject_fault("paper_out", after_lines=5)
    with pytest.raises(MediaEmptyError, match="during the job"):
        _driver(sim_printer.url).print_document(sample_certificate())
    assert _driver(sim_printer.url).status().code is StatusCode.MEDIA_EMPTY


def test_slow_line_still_confirms_the_job(sim_printer: Any) -> None:
    sim_printer.inject_fault("slow", bytes_per_second=9600)
    result = _driver(sim_printer.url).print_document(sample_certificate())
    assert result.confirmed and result.duration_s >= 1205 / 9600
