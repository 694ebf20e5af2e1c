"""核验证明 at the real kiosk: a resident scans certificates on the (simulated) serial scanner —
one the station really issued and printed, the same one altered, one signed by a key no station
holds, one expired, and a scan the scanner could not read — and the screen says each in plain
words, never showing what a refused code claims."""

from __future__ import annotations

import uuid
import zlib
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from backend.shared.certificate_claims import CERTIFICATE_PREFIX, CertificateClaims
from backend.shared.tokens import base45, encode_token, generate_signer
from backend.station.services.keys import StationKeys
from support.stack import Simulators, Station

from .conftest import KioskUi, new_jobs

pytestmark = pytest.mark.ui


def printed_token(station: Station, sims: Simulators) -> str:
    """Have the station issue and print a real certificate; return the QR the printer drew."""
    before = len(sims.jobs())
    with station.client() as http:
        session = sims.identify(http)
        cert = http.post("/api/certificates", json={
            "session_id": session, "type_code": "JZZM", "purpose": "school",
            "idempotency_key": uuid.uuid4().hex}).json()
        http.post(f"/api/certificates/{cert['id']}/print", json={"session_id": session})
        http.delete(f"/api/sessions/{session}")
    sims.remove_card()
    job = new_jobs(sims, before)[0]
    token: str = job["qr_codes"][0]["payload"]
    assert token.startswith(CERTIFICATE_PREFIX)
    return token


def altered(token: str) -> str:
    """The same certificate with one byte of its signature changed, as a forger's edit would."""
    cose = bytearray(zlib.decompress(base45.decode(token[len(CERTIFICATE_PREFIX):])))
    cose[-1] ^= 0x01
    return CERTIFICATE_PREFIX + base45.encode(zlib.compress(bytes(cose), 9))


def signed(keys: StationKeys | None, *, days: int) -> str:
    """A certificate for 李四 signed by ``keys`` (None: a key no station holds)."""
    signer = keys.signer if keys else generate_signer()
    now = datetime.now(UTC).replace(microsecond=0)
    claims = CertificateClaims("demo-station-1", "JZZM", "2026-S01-000009", "460107002001", "李四",
                               "4601*************1", bytes(16), "school", now, now + timedelta(days=days))
    return encode_token(claims.to_cwt(), signer=signer, prefix=CERTIFICATE_PREFIX,
                        issued_at=now - timedelta(days=max(0, -days) + 1),
                        expires_at=now + timedelta(days=days))


def scan(ui: Any, sims: Simulators, text: str, verdict: str) -> list[str]:
    sims.call("POST", "/devices/scanner/scan", {"text": text})
    ui.wait(lambda s: s["screen"] == "verify_result" and s["flow"]["verdict"] == verdict, verdict)
    return [w["text"] for w in ui.widgets()]


def test_a_resident_verifies_certificates_by_scanning_them(kiosk_ui: KioskUi, running_station: Station,
                                                           sims: Simulators) -> None:
    ui = kiosk_ui
    genuine = printed_token(running_station, sims)
    ui.wait(lambda s: not ui.widget("tile_verify", among=s["widgets"])["disabled"]
            and "扫证明上的二维码，辨别真伪" in [w["text"] for w in s["widgets"]], "the verify tile",
            widgets=True)
    ui.tap("tile_verify")
    ui.wait_screen("scan_code")
    assert ui.widget("simulate_scan")["on_screen"]  # the station's scanner is simulated
    ui.check_screen_is_usable()
    ui.screenshot("20-verify-scan")

    texts = scan(ui, sims, genuine, "genuine")
    assert "真实有效：这张证明是真的" in texts
    assert ui.widget("verified_holder")["text"] == "张三"
    assert ui.widget("verified_holder_id")["text"] == "4601*************2"
    assert ui.widget("verified_type")["text"].startswith("居住证明")
    assert ui.state()["voice"]["clip"] == "verdict_genuine"
    ui.check_screen_is_usable()
    ui.screenshot("21-verify-genuine")

    refused = {"tampered": altered(genuine), "untrusted": signed(None, days=30),
               "expired": signed(StationKeys(running_station.data_dir / "keys"), days=-2)}
    headlines = {"tampered": "不是真的：二维码被篡改过", "untrusted": "不可信：不是由受信任的服务站开具",
                 "expired": "已过期：这张证明已经失效"}
    for verdict, token in refused.items():
        ui.tap("verify_again")
        ui.wait_screen("scan_code")
        texts = scan(ui, sims, token, verdict)
        assert headlines[verdict] in texts
        everything = " ".join(w["text"] for w in ui.widgets())
        assert "张三" not in everything and "李四" not in everything  # claims are not facts
        ui.check_screen_is_usable()
        ui.screenshot(f"22-verify-{verdict}")

    ui.tap("verify_again")
    ui.wait_screen("scan_code")
    sims.fault("scanner", "garbage")
    sims.call("POST", "/devices/scanner/scan", {"text": genuine})
    ui.wait(lambda s: s["flow"]["scan_problem"] is not None, "the unreadable scan")
    assert ui.widget("scan_problem")["text"].startswith("没有读出二维码")
    ui.check_screen_is_usable()
    ui.screenshot("23-verify-unreadable")
    sims.clear("scanner")

    texts = scan(ui, sims, "https://example.com/not-a-certificate", "malformed")
    assert "这不是证明的二维码" in texts
    ui.tap("verify_finish")
    ui.wait_screen("thanks")
    assert ui.state()["flow"]["verdict"] is None
    assert httpx.get(running_station.url + "/api/health", timeout=5).status_code == 200
