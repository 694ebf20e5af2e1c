"""Certificates between two enrolled stations and the platform, all real processes on loopback:
a certificate from station A verifies at station B through the trust list and is refused there
once revoked on the platform; an application decided on the platform is issued at the station and
collected with the slip (and a decision the station made first stands); the resident's phone
downloads the PDF copy with the link behind the kiosk's second QR; resident QR codes from the
platform identify once, in their own community only.

Station A reaches the platform through a proxy the tests can cut; B goes straight.
"""

from __future__ import annotations

import dataclasses
import stat
import subprocess
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image
from pyzbar.pyzbar import decode as zbar_decode

from backend.shared.certificate_claims import CERTIFICATE_PREFIX, read_claims
from backend.shared.phone_link import make_link
from backend.shared.resident_qr import mint_resident_qr
from backend.shared.tokens import encode_token, inspect_token, load_signer
from backend.station.sync.enrolment import request_signer
from support.platform_stack import Kiosk, Platform, enrolled_kiosk
from support.proxy import DROP, PASS, REFUSE, Proxy
from support.stack import poll

PASSWORD = "certificates-test-pw"
STAFF_USER, TECH_USER = "cert-staff", "cert-tech"


@dataclass
class Pair:
    a: Kiosk
    b: Kiosk
    proxy: Proxy


@pytest.fixture(scope="module")
def pair(platform: Platform, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    """Stations A (through a proxy) and B, enrolled in that order, with the register synced."""
    with ExitStack() as stack:
        proxy = Proxy(platform.port).start()
        stack.callback(proxy.stop)
        a = stack.enter_context(enrolled_kiosk(platform, tmp_path_factory.mktemp("cert-a"), "cert-a", "S61",
                                               platform_url=proxy.url))
        b = stack.enter_context(enrolled_kiosk(platform, tmp_path_factory.mktemp("cert-b"), "cert-b", "S62"))
        a.wait_register()
        b.wait_register()
        _user(platform, STAFF_USER, "staff", "460107002001")
        _user(platform, TECH_USER, "technician", "460107002001")
        yield Pair(a, b, proxy)


def _user(platform: Platform, username: str, role: str, org_code: str) -> None:
    with platform.staff() as admin:
        created = admin.post("/api/staff/users", json={"username": username, "password": PASSWORD,
                                                         "role": role, "org_code": org_code,
                                                         "must_change_password": False})
        assert created.status_code == 201, created.text


def _signed_in(platform: Platform, username: str) -> httpx.Client:
    token = httpx.post(platform.url + "/api/auth/login", json={"username": username, "password": PASSWORD},
                       timeout=10).json()["token"]
    return httpx.Client(base_url=platform.url, timeout=30, headers={"Authorization": f"Bearer {token}"})


def _identify(kiosk: httpx.Client, machine: Kiosk, resident: str) -> str:
    try:
        return machine.sims.identify(kiosk, resident=resident)
    finally:
        machine.sims.remove_card()


def _last_qr(machine: Kiosk, count: int) -> str:
    """The QR payload on the station's ``count``-th printed job."""
    job = machine.sims.wait_for_jobs(count)[count - 1]
    with Image.open(Path(machine.sims.endpoints["jobs_dir"]) / f"{job['id']:04d}.png") as image:
        [payload] = [d.data.decode() for d in zbar_decode(image)]
    return payload


def _issue_and_print(machine: Kiosk, key: str) -> tuple[dict[str, Any], str, str]:
    """Issue a proof of residence to 张三 and print it; return it, its printed token and the session."""
    with machine.client() as kiosk:
        session = _identify(kiosk, machine, "1")
        issued = kiosk.post("/api/certificates", json={"session_id": session, "type_code": "JZZM",
                                                       "purpose": "school", "idempotency_key": key})
        assert issued.status_code == 201, issued.text
        jobs = len(machine.sims.jobs())
        printed = kiosk.post(f"/api/certificates/{issued.json()['id']}/print", json={"session_id": session})
        assert printed.status_code == 200, printed.text
        return issued.json(), _last_qr(machine, jobs + 1), session


def _verify(machine: Kiosk, token: str) -> dict[str, Any]:
    result: dict[str, Any] = httpx.post(machine.url + "/api/verify", json={"token": token}, timeout=10, auth=machine.auth).json()
    return result


def test_a_certificate_verifies_at_another_station_until_revoked(platform: Platform, pair: Pair) -> None:
    certificate, token, _ = _issue_and_print(pair.a, "across-verify-1")
    assert _verify(pair.b, token)["verdict"] == "genuine"  # A's key came to B in the trust list
    poll(lambda: pair.a.outbox_depth() == 0, "A's certificate to reach the platform")
    with platform.staff() as admin:
        for q in (certificate["serial"], "4601*************2", "张三", certificate["identifier"]):
            found = admin.get("/api/staff/certificates", params={"q": q})
            assert certificate["id"] in [c["id"] for c in found.json()], q
        full_id = admin.get("/api/staff/certificates", params={"q": "460107195803179912"})
        assert (full_id.status_code, full_id.json()["code"]) == (422, "certificate.search_full_id")
        assert "460107195803179912" not in str(admin.get(f"/api/staff/certificates/{certificate['id']}").json())
        with _signed_in(platform, STAFF_USER) as staff:  # staff may look, only administrators revoke
            refused = staff.post(f"/api/staff/certificates/{certificate['id']}/revoke", json={"reason": "x"})
            assert (refused.status_code, refused.json()["code"]) == (403, "auth.forbidden")
        revoked = admin.post(f"/api/staff/certificates/{certificate['id']}/revoke",
                             json={"reason": "持证人信息登记有误"})
        assert revoked.status_code == 200, revoked.text
        assert revoked.json()["state"] == "revoked"
        assert revoked.json()["revocation"]["reason"] == "持证人信息登记有误"
        audit = admin.get("/api/staff/audit").json()
        assert any(e["action"] == "certificate.revoke" and certificate["identifier"] in e["target"]
                   for e in audit)
    refused_at_b = poll(lambda: (v := _verify(pair.b, token))["verdict"] == "revoked" and v,
                        "B to learn of the revocation")
    assert refused_at_b["code"] == "certificate.revoked" and not refused_at_b["valid"]
    poll(lambda: 'kiosk_certificates{state="revoked"} 1.0' in httpx.get(pair.a.url + "/metrics", auth=pair.a.auth).text,
         "A to mark its own certificate revoked")


def _forged_as(victim: Kiosk, victim_code: str, forger: Kiosk, token: str) -> str:
    """The forger's certificate re-signed with the forger's own (trusted) key, claiming the
    victim station as issuer, with the victim's serial prefix and community."""
    claims = read_claims(inspect_token(token, [CERTIFICATE_PREFIX]).claims)
    year, _, number = claims.serial.split("-")
    forged = dataclasses.replace(claims, issuer=victim.station_id,
                                 serial=f"{year}-{victim_code}-{number}")
    keys = forger.data_dir / "keys" / "signing"
    signer = load_signer(keys / f"{(keys / 'current').read_text().strip()}.pem")
    return encode_token(forged.to_cwt(), signer=signer, prefix=CERTIFICATE_PREFIX,
                        issued_at=claims.issued_at, expires_at=claims.expires_at)


def test_one_stations_key_cannot_vouch_for_another_station(pair: Pair) -> None:
    _, token, _ = _issue_and_print(pair.a, "across-forge-1")
    forged = _forged_as(pair.b, "S62", pair.a, token)
    for verifier in (pair.b, pair.a):  # B trusts A's key, and A holds it: neither takes the forgery
        verdict = _verify(verifier, forged)
        assert (verdict["verdict"], verdict["code"], verdict["valid"]) == (
            "untrusted", "certificate.wrong_issuer", False), verdict
        assert verdict["claims"] == {}  # nothing a forger wrote is shown as vouched for
    assert _verify(pair.b, token)["verdict"] == "genuine"  # A's own certificates still verify


def _apply(machine: Kiosk, kiosk: httpx.Client, key: str, purpose: str) -> tuple[dict[str, Any], str]:
    """孙八 applies for the student proof and prints the slip; return the application and the pickup code."""
    session = _identify(kiosk, machine, "6")
    application = kiosk.post("/api/applications", json={
        "session_id": session, "type_code": "PKXS", "purpose": purpose, "idempotency_key": key,
        "fields": {"school": "海口市第一中学"}})
    assert application.status_code == 201, application.text
    jobs = len(machine.sims.jobs())
    slip = kiosk.post(f"/api/applications/{application.json()['id']}/slip", json={"session_id": session})
    assert slip.status_code == 200, slip.text
    kiosk.delete(f"/api/sessions/{session}")
    return application.json(), _last_qr(machine, jobs + 1)


def _on_platform(staff: httpx.Client, application_id: str, **expected: Any) -> dict[str, Any]:
    def check() -> dict[str, Any] | None:
        response = staff.get(f"/api/staff/applications/{application_id}")
        body: dict[str, Any] = response.json()
        return body if response.status_code == 200 and all(body[k] == v for k, v in expected.items()) else None
    found: dict[str, Any] = poll(check, f"the application on the platform with {expected}")
    return found


def test_an_approval_on_the_platform_is_collected_with_the_slip(platform: Platform, pair: Pair) -> None:
    with pair.a.client() as kiosk, _signed_in(platform, STAFF_USER) as staff:
        application, pickup = _apply(pair.a, kiosk, "across-apply-1", "grant")
        listed = poll(lambda: [a for a in staff.get("/api/staff/applications").json()
                               if a["id"] == application["id"]], "the application in the staff list")
        assert listed[0]["holder_id_masked"] == "4601*************X" and listed[0]["state"] == "applied"
        assert "resident_fields" not in listed[0]  # what the resident entered: only in the audited detail
        detail = staff.get(f"/api/staff/applications/{application['id']}").json()
        assert detail["resident_fields"] == {"school": "海口市第一中学"}
        with _signed_in(platform, TECH_USER) as technician:
            assert technician.get("/api/staff/applications").status_code == 403
        url = f"/api/staff/applications/{application['id']}/decision"
        no_reason = staff.post(url, json={"approve": False})
        assert (no_reason.status_code, no_reason.json()["code"]) == (422, "application.reason_required")
        approved = staff.post(url, json={"approve": True})
        assert approved.status_code == 200 and approved.json()["delivery"] == "sent"
        twice = staff.post(url, json={"approve": False, "reason": "改主意"})
        assert (twice.status_code, twice.json()["code"]) == (409, "application.already_decided")

        done = _on_platform(staff, application["id"], delivery="applied")
        assert done["state"] == "approved" and done["certificate_id"] and done["decided_by"] == STAFF_USER
        with platform.staff() as admin:
            audit = admin.get("/api/staff/audit").json()
        assert {(e["actor"], e["action"]) for e in audit if e["target"] == f"application:{application['id']}"} \
            == {(STAFF_USER, "application.view"), (STAFF_USER, "application.decide")}
        collected = kiosk.post("/api/applications/pickup/print", json={"token": pickup})
        assert collected.status_code == 200, collected.text
        assert collected.json()["id"] == done["certificate_id"] and collected.json()["state"] == "printed"
        job = pair.a.sims.jobs()[-1]
        assert "贫困学生证明" in Path(pair.a.sims.endpoints["jobs_dir"], f"{job['id']:04d}.txt").read_text("utf-8")


def test_a_decision_the_station_made_first_stands(platform: Platform, pair: Pair) -> None:
    with pair.a.client() as kiosk, _signed_in(platform, STAFF_USER) as staff:
        application, pickup = _apply(pair.a, kiosk, "across-apply-2", "tuition")
        _on_platform(staff, application["id"], state="applied")
        _cut_off(pair.proxy)  # A cannot reach the platform: each side decides without the other
        try:
            poll(lambda: pair.a.metric("kiosk_sync_consecutive_failures") >= 1, "A to notice")
            local = kiosk.post(f"/api/staff/applications/{application['id']}/decision",
                               headers={"Authorization": "Bearer demo-staff-token"},
                               json={"approve": False, "reason": "材料不全", "staff": "站点工作人员"})
            assert local.status_code == 200 and local.json()["state"] == "rejected"
            remote = staff.post(f"/api/staff/applications/{application['id']}/decision", json={"approve": True})
            assert remote.status_code == 200, remote.text
            offline = _phone_link(kiosk, pair.a, "1")
            assert (offline["available"], offline["reason"]) == (False, "offline")
        finally:
            pair.proxy.set(PASS)
        final = _on_platform(staff, application["id"], delivery="conflict")
        assert final["state"] == "rejected" and final["certificate_id"] is None
        assert final["decided_on"] == "station" and final["reason"] == "材料不全"
        refused = kiosk.post("/api/applications/pickup", json={"token": pickup})
        assert refused.json()["code"] == "application.rejected"


def _cut_off(proxy: Proxy) -> None:
    """Close A's open connection (its next answer is dropped), then refuse new ones."""
    swallowed = proxy.swallowed
    proxy.set(DROP)  # nothing new is queued at A yet, so what the platform sees meanwhile is stale
    proxy.wait_swallowed(swallowed + 1)
    proxy.set(REFUSE)


def _phone_link(kiosk: httpx.Client, machine: Kiosk, resident: str) -> dict[str, Any]:
    """Issue a certificate to a resident and ask for its phone link once."""
    session = _identify(kiosk, machine, resident)
    issued = kiosk.post("/api/certificates", json={"session_id": session, "type_code": "JZZM",
                                                   "purpose": "other", "idempotency_key": f"phone-{session}"})
    assert issued.status_code == 201, issued.text
    link: dict[str, Any] = kiosk.get(f"/api/certificates/{issued.json()['id']}/phone-link",
                                     params={"session_id": session}).json()
    return link


def test_the_phone_downloads_the_same_pdf_with_the_same_qr(platform: Platform, pair: Pair,
                                                            tmp_path: Path) -> None:
    certificate, token, session = _issue_and_print(pair.b, "across-phone-1")
    with pair.b.client() as kiosk:
        url = f"/api/certificates/{certificate['id']}/phone-link"
        link = poll(lambda: (body := kiosk.get(url, params={"session_id": session}).json())["available"] and body,
                    "the phone link to become available")
        station_pdf = kiosk.get(f"/api/certificates/{certificate['id']}/pdf", params={"session_id": session})
    assert link["url"].startswith(platform.url + "/c/" + certificate["id"] + "?exp=")
    expires = datetime.fromisoformat(link["expires_at"])
    assert timedelta(minutes=9) < expires - datetime.now(UTC) <= timedelta(minutes=10)
    phone = httpx.get(link["url"], timeout=30)
    assert phone.status_code == 200 and phone.headers["content-type"] == "application/pdf"
    assert phone.content == station_pdf.content  # the same document the station makes
    (tmp_path / "phone.pdf").write_bytes(phone.content)
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(tmp_path / "phone.pdf"), str(tmp_path / "page")],
                   check=True, timeout=60)
    with Image.open(next(tmp_path.glob("page*.png"))) as page:
        assert [d.data.decode() for d in zbar_decode(page)] == [token]

    tampered = link["url"][:-3] + ("AAA" if not link["url"].endswith("AAA") else "BBB")
    refused = httpx.get(tampered, timeout=10)
    assert (refused.status_code, refused.json()["code"]) == (403, "phone_link.invalid")
    html_page = httpx.get(tampered, headers={"Accept": "text/html"}, timeout=10)
    assert html_page.status_code == 403 and "text/html" in html_page.headers["content-type"]
    assert "下载链接无效" in html_page.text and "not valid" in html_page.text
    signer = request_signer(pair.b.data_dir / "keys")  # what B itself would sign, at other times
    stale = make_link(signer, base_url=platform.url, certificate_id=certificate["id"],
                      now=datetime.now(UTC) - timedelta(minutes=11))
    expired = httpx.get(stale.url, timeout=10)
    assert (expired.status_code, expired.json()["code"]) == (410, "phone_link.expired")
    eternal = make_link(signer, base_url=platform.url, certificate_id=certificate["id"], now=datetime.now(UTC),
                        ttl=timedelta(days=365))
    assert httpx.get(eternal.url, timeout=10).json()["code"] == "phone_link.invalid"


def test_a_resident_qr_from_the_platform_identifies_once_in_its_own_community(
        platform: Platform, pair: Pair) -> None:
    key_file = platform.data_dir / "keys" / "identity" / "identity.pem"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_file.parent.stat().st_mode) == 0o700
    people = httpx.get(platform.url + "/api/demo/residents", timeout=10).json()
    wang = next(p for p in people if p["name"] == "王五")
    code = httpx.post(platform.url + "/api/demo/resident-qr", json={"resident_id": wang["id"]}, timeout=10)
    assert code.status_code == 201 and code.json()["token"].startswith("SF1:")
    phone_page = httpx.get(platform.url + "/demo/phone", params={"resident": wang["id"]}, timeout=10)
    assert phone_page.status_code == 200 and "<svg" in phone_page.text

    with pair.b.client() as kiosk:
        first = kiosk.post("/api/sessions", json={"service": "certificates"}).json()["id"]
        identified = kiosk.post(f"/api/sessions/{first}/identify", json={"token": code.json()["token"]})
        assert identified.status_code == 200, identified.text
        assert identified.json()["identity"]["name"] == "王五"
        assert identified.json()["identity"]["source"] == "qr"
        second = kiosk.post("/api/sessions", json={"service": "certificates"}).json()["id"]
        again = kiosk.post(f"/api/sessions/{second}/identify", json={"token": code.json()["token"]})
        assert (again.status_code, again.json()["code"]) == (422, "identity.reused")

        elsewhere = mint_resident_qr(load_signer(key_file), issuer="platform:460107", id_hash="a" * 64,
                                     name="外社区居民", id_masked="4601*************0",
                                     community_code="460107002002", now=datetime.now(UTC))
        other = kiosk.post(f"/api/sessions/{second}/identify", json={"token": elsewhere})
        assert (other.status_code, other.json()["code"]) == (422, "identity.wrong_community")
