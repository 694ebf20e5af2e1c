"""Enrolment with a one-time code: it works once, a used or expired code is refused, and
``kiosk enroll`` says clearly why it failed."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, update

from backend.platform.db.area_models import EnrolmentCode
from backend.platform.settings import database_url as driver_url
from support.platform_stack import Platform, enrolment_of
from support.stack import kiosk


def _enroll(folder: Path, platform: Platform, code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(kiosk("enroll", platform.url, code, "--data-dir", str(folder)),
                          capture_output=True, text=True, timeout=60)


def test_a_code_enrols_once_and_a_second_use_fails_clearly(platform: Platform, tmp_path: Path) -> None:
    code = platform.create_station("enrol-01", "S31")
    first = _enroll(tmp_path / "one", platform, code)
    assert first.returncode == 0, first.stderr
    assert "enrolled as enrol-01 (S31)" in first.stdout
    enrolment = enrolment_of(tmp_path / "one")
    assert (enrolment["station_id"], enrolment["station_code"], enrolment["community_code"]) == \
        ("enrol-01", "S31", "460107002001")
    assert ((tmp_path / "one" / "enrolment.json").stat().st_mode & 0o777) == 0o600
    assert ((tmp_path / "one" / "keys" / "request.pem").stat().st_mode & 0o777) == 0o600
    assert platform.station("enrol-01")["status"] == "enrolled"

    again = _enroll(tmp_path / "one", platform, code)  # the same station, the same code
    assert again.returncode == 1
    assert "already enrolled as enrol-01" in again.stderr and "--force" in again.stderr
    other = _enroll(tmp_path / "two", platform, code)  # another machine with the used code
    assert other.returncode == 1
    assert "enrolment.code_used" in other.stderr and "already been used" in other.stderr
    assert not (tmp_path / "two" / "enrolment.json").exists()


def test_an_expired_or_unknown_code_is_refused(platform: Platform, tmp_path: Path) -> None:
    code = platform.create_station("enrol-02", "S32")
    url = platform.database_url or f"sqlite:///{platform.data_dir / 'platform.db'}"
    engine = create_engine(driver_url(url))
    with engine.begin() as connection:  # a day later: the code has expired
        connection.execute(update(EnrolmentCode).where(EnrolmentCode.station_id == "enrol-02")
                           .values(expires_at=datetime.now(UTC) - timedelta(minutes=1)))
    engine.dispose()
    expired = _enroll(tmp_path / "late", platform, code)
    assert expired.returncode == 1 and "enrolment.code_expired" in expired.stderr
    unknown = _enroll(tmp_path / "typo", platform, "ABCD-EFGH-JKLM-NPQR")
    assert unknown.returncode == 1 and "enrolment.code_unknown" in unknown.stderr
    assert platform.station("enrol-02")["status"] == "created"
