"""A real receipt sent by python-escpos over TCP: stored as text, image and record, and readable."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from escpos.constants import QR_ECLEVEL_Q
from escpos.printer import Network
from PIL import Image
from pyzbar.pyzbar import ZBarSymbol, decode

from devices.sim.printer import SimulatedPrinter

NATIVE_PAYLOAD = "HC1:6BFOXN*TS0BI$ZD4N9:9S6RCVN5+O30K3/XIV0W23NTDEXWK G2EP4J0B3KL6QM5"
RASTER_PAYLOAD = "KIOSK-0007/2026-000123"


def chinese(text: str) -> bytes:
    """What a correct driver sends for Chinese: FS &, GB18030, FS ."""
    return b"\x1c&" + text.encode("gb18030") + b"\x1c."


def send_receipt(client: Network, *, native: bool = True, raster: bool = True) -> None:
    client.hw("INIT")
    client.set(align="center", bold=True, custom_size=True, width=2, height=2)
    client._raw(chinese("居住证明") + b"\n")
    client.set(align="left", bold=False, custom_size=True, width=1, height=1)
    client._raw(chinese("姓名：张三（测试），地址：幸福街道") + b"\n")
    client.textln("Serial: 2026-000123")
    client.set(align="center")
    if native:
        client.qr(NATIVE_PAYLOAD, ec=QR_ECLEVEL_Q, size=4, native=True)
        client.ln()
    if raster:
        client.qr(RASTER_PAYLOAD, ec=QR_ECLEVEL_Q, size=4)
    client.barcode("{B2026000123", "CODE128", function_type="B")
    client.ln()
    client.cut()


def test_receipt_is_recorded_as_text_image_and_json(
        sim_printer: SimulatedPrinter, connect: Callable[..., Network]) -> None:
    client = connect()
    send_receipt(client)
    client.close()
    job = sim_printer.wait_for_job(0, timeout=5)

    assert (job.id, job.status, job.reason) == (1, "complete", None)
    lines = job.text.splitlines()
    assert lines[0].strip() == "居住证明"
    assert "姓名：张三（测试" in lines[1]
    assert "Serial: 2026-000123" in lines
    assert lines[-1].strip("- ") == "cut"
    assert job.unknown_commands == [] and job.warnings == []
    assert job.qr_codes[0]["payload"] == NATIVE_PAYLOAD
    assert job.qr_codes[0]["error_correction"] == "Q"
    assert job.barcodes[0]["content"] == "2026000123"

    stored = json.loads(Path(job.files["json"]).read_text(encoding="utf-8"))
    assert stored["bytes"] == len(Path(job.files["bin"]).read_bytes()) == job.bytes
    assert stored["lines_printed"] == job.lines_printed > 10


def test_receipt_image_scans_to_the_exact_payloads(
        sim_printer: SimulatedPrinter, connect: Callable[..., Network]) -> None:
    client = connect()
    send_receipt(client)
    client.close()
    job = sim_printer.wait_for_job(0, timeout=5)

    image = Image.open(job.files["png"])
    assert image.width == 384
    qr = sorted(r.data for r in decode(image, symbols=[ZBarSymbol.QRCODE]))
    assert qr == sorted([NATIVE_PAYLOAD.encode(), RASTER_PAYLOAD.encode()])
    assert [r.data for r in decode(image, symbols=[ZBarSymbol.CODE128])] == [b"2026000123"]
    assert {s["text"] for s in job.scanned} == {NATIVE_PAYLOAD, RASTER_PAYLOAD, "2026000123"}


def test_native_qr_receipt_is_far_smaller_than_a_raster_one(
        sim_printer: SimulatedPrinter, connect: Callable[..., Network]) -> None:
    native = connect()
    send_receipt(native, native=True, raster=False)
    native.close()
    native_job = sim_printer.wait_for_job(0)
    raster = connect()
    send_receipt(raster, native=False, raster=True)
    raster.close()
    raster_job = sim_printer.wait_for_job(native_job.id)
    assert raster_job.bytes > 3 * native_job.bytes


def test_chinese_without_fs_and_shows_up_as_mojibake_and_a_warning(
        sim_printer: SimulatedPrinter, connect: Callable[..., Network]) -> None:
    client = connect()
    client.textln("居住证明")  # python-escpos sends GB18030 without switching Chinese mode on
    client.close()
    job = sim_printer.wait_for_job(0)
    assert "居住证明" not in job.text
    assert job.text.splitlines()[0] == "居住证明".encode("gb18030").decode("cp437")
    assert any("Chinese mode was off" in w for w in job.warnings)


def test_modes_survive_from_one_connection_to_the_next(
        sim_printer: SimulatedPrinter, connect: Callable[..., Network]) -> None:
    first = connect()
    first._raw(b"\x1c&")  # switch Chinese mode on, print nothing: not a job
    first.close()
    second = connect()
    second._raw("证明，\n".encode("gb18030"))
    second.close()
    job = sim_printer.wait_for_job(0)
    assert (job.id, job.text) == (1, "证明，\n")


def test_unknown_commands_are_reported_in_the_record(
        sim_printer: SimulatedPrinter, connect: Callable[..., Network]) -> None:
    client = connect()
    client._raw(b"ok\n\x1b\x7f\n")
    client.close()
    job = sim_printer.wait_for_job(0)
    assert job.unknown_commands == [
        {"offset": 3, "length": 2, "bytes": "1b 7f", "note": "unknown command"}]


def test_connections_one_after_another_make_numbered_jobs(
        sim_printer: SimulatedPrinter, connect: Callable[..., Network]) -> None:
    for n in range(3):
        client = connect()
        client.textln(f"job {n}")
        client.close()
        assert sim_printer.wait_for_job(n).text == f"job {n}\n"
    assert [job.id for job in sim_printer.jobs()] == [1, 2, 3]
    assert sim_printer.describe()["jobs"] == 3
