"""One local date everywhere, whatever the machine's own zone: the station and the simulators run
with ``TZ`` set to UTC and to America/New_York, and the validity date the kiosk shows (the API
payloads it renders), the printed receipt, the A4 PDF, the token and the verify result all agree
with the district's date (the ``timezone`` setting, default Asia/Shanghai)."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from backend.shared.certificate_claims import CERTIFICATE_PREFIX, read_claims
from backend.shared.tokens.codec import inspect_token
from kiosk.records import StationInfo
from support.stack import Simulators, Station, simulators, station

DISTRICT = ZoneInfo("Asia/Shanghai")  # the default setting, which these stations keep
VALID_DAYS = 90  # JZZM in the catalog


@pytest.fixture(scope="module", params=["UTC", "America/New_York"])
def machine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
            ) -> Iterator[tuple[Station, Simulators]]:
    folder = tmp_path_factory.mktemp("tz") / "data"
    env = {"TZ": request.param}
    with simulators(folder) as sims, station(folder, env=env) as running:
        yield running, sims


def _after(label: str, text: str) -> str:
    found = re.search(label + r"\D*(\d{4}-\d{2}-\d{2})", text)
    assert found, f"no date after {label} in {text!r}"
    return found.group(1)


def test_every_validity_date_is_the_districts(machine: tuple[Station, Simulators], tmp_path: Path) -> None:
    running, sims = machine
    with running.client() as client:
        info = StationInfo.parse(client.get("/api/station").json())
        assert info.timezone == "Asia/Shanghai"  # what the kiosk's clock and dates follow
        session = sims.identify(client)
        before = datetime.now(UTC)
        certificate = client.post("/api/certificates", json={
            "session_id": session, "type_code": "JZZM", "purpose": "school",
            "idempotency_key": f"tz-{session}"}).json()
        after = datetime.now(UTC)
        printed = client.post(f"/api/certificates/{certificate['id']}/print", json={"session_id": session})
        assert printed.status_code == 200, printed.text
        job = sims.wait_for_jobs(1)[-1]
        receipt = (Path(sims.endpoints["jobs_dir"]) / f"{job['id']:04d}.txt").read_text(encoding="utf-8")
        pdf = client.get(f"/api/certificates/{certificate['id']}/pdf", params={"session_id": session})
        verdict = client.post("/api/verify", json={"token": job["qr_codes"][0]["payload"]}).json()

    # The oracle: the issue day in the district plus the validity (independent of the station's code).
    issue_days = {moment.astimezone(DISTRICT).date() for moment in (before, after)}
    expected = {str(day + timedelta(days=VALID_DAYS)) for day in issue_days}

    (tmp_path / "copy.pdf").write_bytes(pdf.content)
    pdf_text = subprocess.run(["pdftotext", str(tmp_path / "copy.pdf"), "-"], capture_output=True,
                              text=True, check=True, timeout=60).stdout
    claims = read_claims(inspect_token(job["qr_codes"][0]["payload"], [CERTIFICATE_PREFIX]).claims)
    shown = {
        "kiosk done screen": certificate["expires_at"][:10],  # what kiosk/screens/done.py shows
        "receipt": _after("有效期至", receipt),
        "pdf": _after("Valid until", pdf_text),
        "token": str(claims.expires_at.astimezone(DISTRICT).date()),
        "verify result": verdict["claims"]["expires_at"][:10],  # kiosk/screens/verify_result.py
    }
    assert len(set(shown.values())) == 1 and set(shown.values()) <= expected, shown
    issued = {
        "kiosk": certificate["issued_at"][:10], "receipt": _after("出具时间", receipt),
        "pdf": _after("Issued", pdf_text), "verify result": verdict["claims"]["issued_at"][:10],
    }
    assert len(set(issued.values())) == 1 and {date.fromisoformat(d) for d in issued.values()} <= issue_days, issued
    assert certificate["expires_at"].endswith("+08:00")  # ISO 8601 with the district's offset
