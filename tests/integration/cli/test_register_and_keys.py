"""``kiosk register import`` (all or nothing) and ``kiosk keys rotate`` (old certificates still verify)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from support.stack import Simulators, Station, kiosk

HEADER = "id_number,name,sex,birth_date,ethnicity,building,unit,room,household,since,status\n"
GOOD = "460107194912310022,测试甲,女,1949-12-31,01,1,1,101,H1,2001-01-01,active\n"
BAD = "46010719491231002Y,测试乙,女,1949-12-31,01,1,1,101,H1,2001-01-01,active\n"


def _kiosk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(kiosk(*args), capture_output=True, text=True, timeout=60)


def test_a_bad_register_file_changes_nothing_and_says_why(data_dir: Path, tmp_path: Path) -> None:
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text(HEADER + GOOD, encoding="utf-8")
    bad.write_text(HEADER + GOOD + BAD, encoding="utf-8")
    done = _kiosk("register", "import", str(bad), "--data-dir", str(data_dir))
    assert done.returncode == 1
    assert "line 3 [id_number]: bad_id_number" in done.stdout and "not changed" in done.stdout
    assert "46010719491231002Y" not in done.stdout
    done = _kiosk("register", "import", str(good), "--data-dir", str(data_dir))
    assert done.returncode == 0 and "1 residents imported" in done.stdout


def test_rotation_keeps_old_certificates_verifiable(running_station: Station, sims: Simulators,
                                                    data_dir: Path) -> None:
    with running_station.client() as client:
        tokens = []
        for round_ in range(2):
            session = sims.identify(client)
            certificate = client.post("/api/certificates", json={
                "session_id": session, "type_code": "JZZM", "purpose": "school",
                "idempotency_key": f"rotation-{round_}-key"}).json()
            client.post(f"/api/certificates/{certificate['id']}/print", json={"session_id": session})
            tokens.append(sims.wait_for_jobs(round_ + 1)[-1]["qr_codes"][0]["payload"])
            sims.remove_card()
            if round_ == 0:
                assert _kiosk("keys", "rotate", "--data-dir", str(data_dir)).returncode == 0
        kids = [client.post("/api/verify", json={"token": t}).json()["kid"] for t in tokens]
        assert kids[0] != kids[1]
        assert all(client.post("/api/verify", json={"token": t}).json()["valid"] for t in tokens)
        assert len(client.get("/api/keys/jwks").json()["keys"]) == 2
