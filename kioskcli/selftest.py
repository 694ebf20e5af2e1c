"""``kiosk selftest``: the technician's test print (and, with ``--idcard``, a test card read).

It issues a sample certificate for a demo resident (signed with this station's key, marked as a
test), prints it on the configured printer with its status checked before and after, and exits
non-zero with the reason on any failure: printer unreachable, paper out, cover open…
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from .common import add_data_dir, station_settings

EXIT_FAILED = 1


def register(commands: Any) -> None:
    parser = commands.add_parser("selftest", help="test print (and optionally a test card read)")
    add_data_dir(parser)
    parser.add_argument("--printer", help="printer URL to test (default: the configured one)")
    parser.add_argument("--idcard", help="also read a card from this ID card reader URL")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    settings = station_settings(args)
    report: dict[str, Any] = {"ok": True}
    if args.idcard:
        report["idcard"] = _read_card(args.idcard, settings)
        report["ok"] = report["idcard"]["ok"]
    report |= _test_print(settings)
    report["ok"] = report["ok"] and report["printer"]["ok"]
    _show(report, as_json=args.json)
    return 0 if report["ok"] else EXIT_FAILED


def _test_print(settings: Any) -> dict[str, Any]:
    from backend.station.hardware.slots import DriverSlot
    from devices.errors import DeviceError
    from devices.printer.driver import EscposPrinter
    from devices.printer.profiles import get_profile

    serial, token, document = _sample_certificate(settings)
    printer: dict[str, Any] = {"url": settings.printer, "ok": False}
    slot = DriverSlot("printer", settings.printer, settings.sim_dir,
                      lambda url, sim: EscposPrinter(url, get_profile(settings.printer_profile),
                                                     simulated=sim, component_id="printer"))
    try:
        driver = slot.get()
        printer["resolved_url"] = driver.url.raw
        result = driver.print_document(document)
        printer |= {"ok": True, "status_before": result.status_before.as_dict(),
                    "status": result.status_after.as_dict(), "bytes_sent": result.bytes_sent,
                    "seconds": round(result.duration_s, 3), "confirmed": result.confirmed}
    except DeviceError as err:
        printer |= {"status": {"state": "UNAVAILABLE", "code": err.status_code.value,
                               "detail": str(err)},
                    "error": f"printer.{err.status_code.value.lower()}"}
    return {"serial": serial, "token": token, "printer": printer}


def _sample_certificate(settings: Any) -> tuple[str, str, Any]:
    from backend.shared import localtime
    from backend.shared.certificate_claims import CERTIFICATE_PREFIX, CertificateClaims
    from backend.shared.tokens import encode_token
    from backend.station.services.keys import StationKeys
    from devices.printer.document import Cut, Document, Feed, KeyValue, Qr, Separator, Text, Title

    keys = StationKeys(settings.keys_dir)
    localtime.configure(settings.timezone)  # the district's time, not the machine's
    now = datetime.now(UTC).replace(microsecond=0)
    serial = f"TEST-{now:%Y%m%d%H%M%S}"
    claims = CertificateClaims(
        issuer=settings.station_id, type_code="JZZM", serial=serial,
        community_code=settings.community_code, holder_name="张三（测试）",
        holder_id_masked="4601*************2", holder_id_hash=bytes(16), purpose="selftest",
        issued_at=now, expires_at=now + timedelta(days=1))
    token = encode_token(claims.to_cwt(), signer=keys.signer, prefix=CERTIFICATE_PREFIX,
                         issued_at=now, expires_at=claims.expires_at)
    document = Document.of(
        Title("打印自检"), Text("Printer self-test", align="center"), Separator(),
        Text("样张，非正式证明。Sample, not a certificate。"), KeyValue("编号", serial),
        KeyValue("时间", localtime.iso_local(now)), Feed(1), Qr(token, ec="Q"),
        Text("扫码核验 Scan to verify", align="center"), Feed(2), Cut())
    return serial, token, document


def _read_card(url: str, settings: Any) -> dict[str, Any]:
    from devices.errors import DeviceError
    from devices.idcard.reader import IdCardReader
    from devices.sim import registry

    try:
        real_url = registry.resolve("idcard", settings.sim_dir) if url == "sim://" else url
        with IdCardReader(real_url) as reader:
            card = reader.read_card()
    except DeviceError as err:
        return {"ok": False, "url": url, "error": getattr(err, "reason", err.status_code.value),
                "detail": str(err)}
    if card is None:
        return {"ok": False, "url": url, "error": "no_card", "detail": "no card on the reader"}
    return {"ok": True, "url": url, "card": card.masked()}


def _show(report: dict[str, Any], *, as_json: bool) -> None:
    if as_json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return
    printer = report["printer"]
    if "idcard" in report:
        card = report["idcard"]
        print("ID card reader: " + ("OK" if card["ok"] else f"FAILED — {card['error']}: "
                                    f"{card['detail']}"))
        for key, value in (card.get("card") or {}).items():
            print(f"  {key}: {value}")
    if printer["ok"]:
        print(f"Printer OK: printed sample {report['serial']} on {printer['url']} "
              f"({printer['bytes_sent']} bytes, {printer['seconds']} s); "
              f"status now {printer['status']['code']}")
    else:
        print(f"Printer FAILED on {printer['url']}: {printer['status']['code']} — "
              f"{printer['status']['detail']}")
