"""What the platform's database gives away about a resident, read raw (no keys): the register's
rows, its kept versions and pending imports, and the register changes waiting for stations."""

from __future__ import annotations

from datetime import date

from sqlalchemy import text

import assets
from backend.platform.db.session import write_transaction
from backend.platform.runtime import PlatformRuntime
from backend.platform.services import register_imports
from backend.shared.register_file import read_register_path
from support.id_candidates import candidates

from .conftest import COMMUNITY

TODAY = date(2026, 11, 26)
REGISTER = read_register_path(assets.path("register", "demo_register.csv"), TODAY)
BIRTHS = {r.birth_date.isoformat() for r in REGISTER.rows}


def test_no_stored_row_narrows_an_id_number_below_a_million(runtime: PlatformRuntime) -> None:
    with runtime.engine.connect() as raw:
        rows = [dict(r._mapping) for r in raw.execute(text("SELECT * FROM residents"))]
    assert len(rows) == len(REGISTER.rows)
    for row in rows:
        assert not any(born in str(value) for value in row.values() for born in BIRTHS), row
        count = candidates(region="460107", mask=row["id_masked"], male=row["sex"] == "男", today=TODAY)
        assert count > 1_000_000, (row["name"], count)


def test_copies_of_the_register_hold_no_birth_date_in_clear(runtime: PlatformRuntime) -> None:
    now = runtime.clock.now()
    with write_transaction(runtime.db) as session:  # a kept version and a pending import
        register_imports.keep_version(session, community_code=COMMUNITY, actor="t", now=now, reason="t")
        pending = register_imports.preview_file(
            session, community_code=COMMUNITY, parsed=REGISTER, source="demo.csv",
            protector=runtime.community_protector(COMMUNITY), actor="t", now=now)
    with runtime.engine.connect() as raw:
        stored = [str(v) for table, column in (("register_versions", "rows"), ("register_imports", "rows"),
                                                ("changes", "payload"))
                  for (v,) in raw.execute(text(f"SELECT {column} FROM {table}"))]
    assert stored and not any(born in value for value in stored for born in BIRTHS)
    with runtime.db() as session:  # and the platform, holding the key, still reads them
        view = register_imports.view(session, session.merge(pending), removal_share=0.2)
        assert view["unchanged"] == len(REGISTER.rows)
