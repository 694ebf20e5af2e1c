"""Every type in the starter catalog over HTTP against the running station and simulators:
tenancy (a field the resident enters), the student proof (staff approval, pickup slip), the A4
PDF copy, and identifying with a resident QR code instead of the card."""

from __future__ import annotations

import json
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from PIL import Image
from pyzbar.pyzbar import decode as zbar_decode

from backend.shared.resident_qr import mint_resident_qr
from backend.shared.tokens import export_jwks, generate_signer
from backend.station.services.keys import StationKeys
from support.fixtures import shared_stack
from support.stack import Simulators, Station, StationToken

_stack, running_station, sims, data_dir = shared_stack()

STAFF = {"Authorization": "Bearer demo-staff-token"}



def _job_text(sims: Simulators, number: int) -> str:
    job = sims.wait_for_jobs(number)[number - 1]
    return Path(sims.endpoints["jobs_dir"], f"{job['id']:04d}.txt").read_text(encoding="utf-8")


def _qr_payloads(sims: Simulators, job: dict[str, Any]) -> list[str]:
    png = Path(sims.endpoints["jobs_dir"]) / f"{job['id']:04d}.png"
    with Image.open(png) as image:
        return [d.data.decode() for d in zbar_decode(image)]


def test_tenancy_proof_takes_the_month_the_resident_enters(running_station: Station, sims: Simulators) -> None:
    with running_station.client() as client:
        session = sims.identify(client, resident="3")  # 王五
        bad = client.post("/api/certificates", json={
            "session_id": session, "type_code": "ZZZM", "purpose": "residence_permit",
            "idempotency_key": "tenancy-bad-1", "fields": {"tenancy_start": "2099-01"}})
        assert bad.status_code == 422 and bad.json()["code"] == "certificate.bad_field"
        issued = client.post("/api/certificates", json={
            "session_id": session, "type_code": "ZZZM", "purpose": "residence_permit",
            "idempotency_key": "tenancy-ok-1", "fields": {"tenancy_start": "2023-06"}})
        assert issued.status_code == 201, issued.text
        assert "自2023-06起租住于" in issued.json()["text"]["zh"]
        printed = client.post(f"/api/certificates/{issued.json()['id']}/print", json={"session_id": session})
        assert printed.status_code == 200
        assert "租住证明" in _job_text(sims, 1)


def test_student_proof_is_applied_for_approved_and_collected_with_the_slip(
        running_station: Station, sims: Simulators) -> None:
    with running_station.client() as client:
        session = sims.identify(client, resident="6")  # 孙八, a student
        body = {"session_id": session, "type_code": "PKXS", "purpose": "grant",
                "idempotency_key": "student-apply-1", "fields": {"school": "海口市第一中学"}}
        direct = client.post("/api/certificates", json=body)
        assert direct.json()["code"] == "certificate.needs_approval"
        application = client.post("/api/applications", json=body).json()
        assert application["state"] == "applied"
        slip = client.post(f"/api/applications/{application['id']}/slip", json={"session_id": session})
        assert slip.status_code == 200, slip.text
        [pickup] = _qr_payloads(sims, sims.wait_for_jobs(1)[-1])
        assert pickup.startswith("QJ1:")
        early = client.post("/api/applications/pickup", json={"token": pickup})
        assert early.json()["code"] == "application.not_approved"

        assert client.get("/api/staff/applications").status_code == 401
        assert client.get("/api/staff/applications", headers={"Authorization": "Bearer nope"}).status_code == 401
        waiting = client.get("/api/staff/applications", headers=STAFF).json()
        assert [a["id"] for a in waiting] == [application["id"]]
        decided = client.post(f"/api/staff/applications/{application['id']}/decision", headers=STAFF,
                              json={"approve": True, "staff": "王工作人员"}).json()
        assert decided["state"] == "approved"

        printed = client.post("/api/applications/pickup/print", json={"token": pickup})
        assert printed.status_code == 200 and printed.json()["state"] == "printed"
        assert printed.json()["type_code"] == "PKXS"
        assert "贫困学生证明" in _job_text(sims, 2)
        again = client.post("/api/applications/pickup/print", json={"token": pickup})
        assert again.status_code == 409 and again.json()["code"] == "certificate.not_printable"


def test_the_outcome_is_told_at_the_next_identification(running_station: Station, sims: Simulators) -> None:
    with running_station.client() as client:
        session = sims.identify(client, resident="6")
        application = client.post("/api/applications", json={
            "session_id": session, "type_code": "PKXS", "purpose": "tuition",
            "idempotency_key": "student-apply-2", "fields": {"school": "海口市第一中学"}}).json()
        client.delete(f"/api/sessions/{session}")
        client.post(f"/api/staff/applications/{application['id']}/decision", headers=STAFF,
                    json={"approve": False, "reason": "请补充学籍证明", "staff": "王工作人员"})
        sims.remove_card()
        later = sims.identify(client, resident="6")
        outcomes = client.get(f"/api/sessions/{later}").json()["outcomes"]
        assert [(o["state"], o["reason"]) for o in outcomes if o["id"] == application["id"]] == [
            ("rejected", "请补充学籍证明")]


def test_the_pdf_copy_carries_the_same_qr(running_station: Station, sims: Simulators, tmp_path: Path) -> None:
    with running_station.client() as client:
        session = sims.identify(client, resident="1")
        certificate = client.post("/api/certificates", json={
            "session_id": session, "type_code": "JZZM", "purpose": "other",
            "idempotency_key": "pdf-key-0001"}).json()
        client.post(f"/api/certificates/{certificate['id']}/print", json={"session_id": session})
        [printed_token] = _qr_payloads(sims, sims.wait_for_jobs(1)[-1])
        pdf = client.get(f"/api/certificates/{certificate['id']}/pdf", params={"session_id": session})
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    (tmp_path / "copy.pdf").write_bytes(pdf.content)
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(tmp_path / "copy.pdf"), str(tmp_path / "page")],
                   check=True, timeout=60)
    with Image.open(next(tmp_path.glob("page*.png"))) as page:
        assert [d.data.decode() for d in zbar_decode(page)] == [printed_token]
    text = subprocess.run(["pdftotext", str(tmp_path / "copy.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "居住证明" in text and certificate["serial"] in text and "4601*************2" in text


def test_a_resident_qr_code_identifies_once(running_station: Station, data_dir: Path) -> None:
    platform = generate_signer()
    StationKeys(data_dir / "keys").save_identity_keys(export_jwks([platform.public_key]))
    keys = StationKeys(data_dir / "keys")
    number = "460107198506240696"  # 王五 in the demo register
    code = mint_resident_qr(platform, issuer="platform", id_hash=keys.protector.lookup_hash(number),
                            name="王五", id_masked="4601*************6", community_code="460107002001",
                            now=datetime.now(UTC))
    with running_station.client() as client:
        session = client.post("/api/sessions", json={"service": "certificates"}).json()["id"]
        identified = client.post(f"/api/sessions/{session}/identify", json={"token": code})
        assert identified.status_code == 200, identified.text
        assert identified.json()["identity"]["name"] == "王五"
        assert identified.json()["identity"]["source"] == "qr"
        second = client.post("/api/sessions", json={"service": "certificates"}).json()["id"]
        reused = client.post(f"/api/sessions/{second}/identify", json={"token": code})
        assert reused.status_code == 422 and reused.json()["code"] == "identity.reused"
        assert json.dumps(reused.json(), ensure_ascii=False).count("手机") == 1


def test_a_collected_certificate_is_rated_with_its_pickup_slip(running_station: Station, sims: Simulators) -> None:
    with running_station.client() as client:
        session = sims.identify(client, resident="6")
        application = client.post("/api/applications", json={
            "session_id": session, "type_code": "PKXS", "purpose": "grant",
            "idempotency_key": "student-apply-rate", "fields": {"school": "海口市第一中学"}}).json()
        client.post(f"/api/staff/applications/{application['id']}/decision", headers=STAFF,
                    json={"approve": True, "staff": "王工作人员"})
        client.delete(f"/api/sessions/{session}")
        pickup = _newest_pickup(client)  # the simulate-scan button, as the kiosk receives it
        assert pickup.startswith("QJ1:")
        collected = client.post("/api/applications/pickup", json={"token": pickup}).json()
        assert collected["certificate"]["state"] == "issued"
        client.post("/api/applications/pickup/print", json={"token": pickup})
        rated = client.post("/api/ratings", json={"target": "certificate", "token": pickup,
                                                  "level": 5, "reasons": []})
        assert rated.status_code == 201, rated.text
        again = client.post("/api/ratings", json={"target": "certificate", "token": pickup,
                                                  "level": 4, "reasons": []})
        assert again.status_code == 409


def _newest_pickup(client: httpx.Client) -> str:
    """What the kiosk receives when the simulated scanner reads the newest pickup slip."""
    from websockets.sync.client import connect

    url = str(client.base_url).replace("http", "ws") + "/ws/events"
    token = client.auth.header() if isinstance(client.auth, StationToken) else {}
    with connect(url, open_timeout=10, additional_headers=token) as ws:
        ws.recv(timeout=10)  # hello
        client.post("/api/sim/scanner/scan", json={"sample": "latest_pickup"})
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            event = json.loads(ws.recv(timeout=10))
            if event["type"] == "code.scanned":
                return str(event["data"]["text"])
    raise AssertionError("no scan arrived")
