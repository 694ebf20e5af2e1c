"""A resident's certificate over HTTP against real processes on loopback: the station and the
simulated devices (TCP printer, ID card reader on a pseudo-terminal)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
from PIL import Image
from pyzbar.pyzbar import decode as zbar_decode

from support.fixtures import shared_stack
from support.stack import Simulators, Station

_stack, running_station, sims, data_dir = shared_stack()



def _issue(client: httpx.Client, session_id: str, key: str = "") -> dict[str, Any]:
    # One key per visit, as the kiosk makes one per confirmation: a retry in the visit reuses it.
    response = client.post("/api/certificates", json={
        "session_id": session_id, "type_code": "JZZM", "purpose": "school",
        "idempotency_key": key or f"journey-{session_id}"})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _printer_ready(client: httpx.Client) -> None:
    deadline = time.monotonic() + 10
    while client.post("/api/components/printer/refresh").json()["status"]["code"] != "OK":
        assert time.monotonic() < deadline, "printer never became ready"
        time.sleep(0.1)


def test_card_to_printed_receipt_whose_qr_verifies(running_station: Station, sims: Simulators) -> None:
    with running_station.client() as client:
        session_id = sims.identify(client)
        identity = client.get(f"/api/sessions/{session_id}").json()["identity"]
        assert identity == {"name": "张三", "id_masked": "4601*************2", "sex": "男",
                            "source": "idcard"}
        certificate = _issue(client, session_id)
        printed = client.post(f"/api/certificates/{certificate['id']}/print",
                              json={"session_id": session_id})
        assert printed.status_code == 200 and printed.json()["state"] == "printed"

        job = sims.wait_for_jobs(1)[-1]
        assert job["status"] == "complete" and not job["unknown_commands"]
        png = Path(sims.endpoints["jobs_dir"]) / f"{job['id']:04d}.png"
        text = png.with_suffix(".txt").read_text(encoding="utf-8")
        assert "居住证明" in text and certificate["serial"] in text
        assert "（公民身份号码：" in text  # full-width punctuation printed, not ????
        assert "460107195803179" not in text  # the full ID number never reaches paper

        with Image.open(png) as image:
            decoded = [d.data.decode() for d in zbar_decode(image)]
        assert decoded == [job["qr_codes"][0]["payload"]]  # the paper holds what was sent
        assert job["qr_codes"][0]["error_correction"] == "Q"

        verdict = client.post("/api/verify", json={"token": decoded[0]}).json()
        assert verdict["valid"] and verdict["verdict"] == "genuine"
        assert verdict["claims"]["serial"] == certificate["serial"]
        assert verdict["claims"]["holder_id_masked"] == "4601*************2"
        jwks = client.get("/api/keys/jwks").json()
        assert [(k["kty"], k["crv"], k["alg"]) for k in jwks["keys"]] == [("OKP", "Ed25519", "EdDSA")]


def test_printer_out_of_paper_keeps_the_certificate_to_print_later(running_station: Station,
                                                                   sims: Simulators) -> None:
    with running_station.client() as client:
        session_id = sims.identify(client)
        sims.fault("printer", "paper_out")
        certificate = _issue(client, session_id)
        failed = client.post(f"/api/certificates/{certificate['id']}/print", json={"session_id": session_id})
        assert failed.status_code == 503
        error = failed.json()
        assert error["code"] == "printer.media_empty"
        assert "不会重复开具" in error["message"]["zh"] and "will not be issued twice" in error["message"]["en"]
        assert sims.jobs() == []  # refused before sending anything

        station = client.get("/api/station").json()
        services = {s["code"]: s for s in station["services"]}
        assert services["certificates"]["state"] == "UNAVAILABLE"
        assert services["certificates"]["reason"] == "consumables"
        assert services["requests"]["state"] == "AVAILABLE"

        sims.clear("printer")
        _printer_ready(client)
        again = _issue(client, session_id)  # the kiosk retries with the same key
        assert again["id"] == certificate["id"] and again["state"] == "print_failed"
        printed = client.post(f"/api/certificates/{certificate['id']}/print", json={"session_id": session_id})
        assert printed.status_code == 200
        assert printed.json()["serial"] == certificate["serial"] and printed.json()["state"] == "printed"
        assert len(sims.wait_for_jobs(1)) == 1


def test_paper_running_out_mid_job_is_a_failed_print(running_station: Station, sims: Simulators) -> None:
    with running_station.client() as client:
        session_id = sims.identify(client)
        certificate = _issue(client, session_id)
        sims.fault("printer", "paper_out", after_lines=5)
        failed = client.post(f"/api/certificates/{certificate['id']}/print", json={"session_id": session_id})
        assert failed.status_code == 503 and failed.json()["code"] == "printer.media_empty"
        job = sims.wait_for_jobs(1)[-1]
        assert job["status"] == "aborted"


def test_another_residents_certificate_cannot_be_printed(running_station: Station, sims: Simulators) -> None:
    with running_station.client() as client:
        first = sims.identify(client, resident="1")
        certificate = _issue(client, first)
        sims.remove_card()
        second = sims.identify(client, resident="3")
        response = client.post(f"/api/certificates/{certificate['id']}/print", json={"session_id": second})
        assert response.status_code == 404 and response.json()["code"] == "certificate.not_found"


def test_bad_bodies_get_clear_errors(running_station: Station) -> None:
    with running_station.client() as client:
        response = client.post("/api/certificates", json={"session_id": "x", "type_code": "jz"})
        assert response.status_code == 422
        body = response.json()
        assert body["code"] == "request.invalid" and body["message"]["zh"] and body["message"]["en"]
        gone = client.post("/api/certificates", json={
            "session_id": "no-such-session", "type_code": "JZZM", "purpose": "school",
            "idempotency_key": "abcdefgh1"})
        assert gone.status_code == 404 and gone.json()["code"] == "session.not_found"
