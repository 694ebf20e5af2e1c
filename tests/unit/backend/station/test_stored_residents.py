"""What the station's database file gives away about a resident: a test that reads the file as an
attacker would (raw SQLite, no keys) and counts the ID numbers that still fit a stored row."""

from __future__ import annotations

import sqlite3
from datetime import date

import assets
from backend.shared.register_file import read_register_path
from backend.station.db.models import Resident
from support.id_candidates import candidates

from .conftest import StationDb

TODAY = date(2026, 11, 26)


def _rows(station_db: StationDb) -> list[dict[str, object]]:
    path = station_db.db.kw["bind"].url.database
    with sqlite3.connect(path) as raw:
        raw.row_factory = sqlite3.Row
        return [dict(r) for r in raw.execute("SELECT * FROM residents")]


def test_no_stored_row_narrows_an_id_number_below_a_million(station_db: StationDb) -> None:
    register = read_register_path(assets.path("register", "demo_register.csv"), TODAY)
    births = {r.birth_date.isoformat() for r in register.rows} | {r.birth_date.strftime("%Y%m%d")
                                                                   for r in register.rows}
    rows = _rows(station_db)
    assert len(rows) == len(register.rows)
    for row in rows:
        # No column holds the birth date in any readable form.
        assert not any(str(value) in births for value in row.values() if value is not None), row
        assert not any(born in str(value) for value in row.values() for born in births), row
        count = candidates(region="460107", mask=str(row["id_masked"]), male=row["sex"] == "男",
                           today=TODAY)
        assert count > 1_000_000, (row["name"], count)


def test_the_birth_date_still_serves_eligibility(station_db: StationDb) -> None:
    with station_db.db() as session:
        zhang = next(r for r in session.query(Resident) if r.name == "张三")
        assert zhang.birth_date == date(1958, 3, 17)  # opened with the station's key


def test_the_old_mask_with_a_birth_date_left_tens_of_numbers() -> None:
    # Why the change: the previous row (first 4 and last 4 shown, birth date in clear).
    assert candidates(region="460107", mask="4601**********9912", male=True, today=TODAY,
                      born=date(1958, 3, 17)) < 100
