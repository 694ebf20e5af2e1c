"""The community register (all or nothing, keyed hashes only, differences published) and who
sees which stations in the organisation tree."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

import assets
from backend.platform.db.area_models import ChangeRecord
from backend.platform.db.session import write_transaction
from backend.platform.runtime import PlatformRuntime
from backend.platform.services import changes, org, register
from backend.shared.district import load_district
from backend.shared.errors import AppError
from backend.shared.register_file import read_register, read_register_path

from .conftest import COMMUNITY

DEMO = assets.path("register", "demo_register.csv")


def _import(runtime: PlatformRuntime, text: str) -> dict[str, object]:
    parsed = read_register(text.encode(), "register.csv", date(2026, 11, 26))
    with write_transaction(runtime.db) as session:
        return register.import_register(session, community_code=COMMUNITY, parsed=parsed,
                                        protector=runtime.community_protector(COMMUNITY), now=runtime.clock.now())


def _register_changes(runtime: PlatformRuntime, after: int = 0) -> list[dict[str, object]]:
    with runtime.db() as session:
        return [c.payload for c in session.scalars(select(ChangeRecord).where(
            ChangeRecord.kind == "register", ChangeRecord.cursor > after).order_by(ChangeRecord.cursor))]


def test_the_demo_register_is_published_without_id_numbers(runtime: PlatformRuntime) -> None:
    published = _register_changes(runtime)
    rows = read_register_path(DEMO, date(2026, 11, 26)).rows
    assert len(published) == len(rows) == 12
    text = repr(published)
    assert not any(row.id_number in text for row in rows)  # masks and keyed hashes only
    assert {p["id_hash"] for p in published} == {runtime.community_protector(COMMUNITY).lookup_hash(r.id_number) for r in rows}


def test_only_differences_are_published(runtime: PlatformRuntime) -> None:
    lines = DEMO.read_text(encoding="utf-8").splitlines()
    with runtime.db() as session:
        before = changes.latest_cursor(session)
    assert _import(runtime, "\n".join(lines))["changed"] == 0
    moved = [lines[0], lines[1].replace(",active", ",moved_out"), *lines[3:]]  # one moved, one gone
    report = _import(runtime, "\n".join(moved))
    assert (report["changed"], report["removed"]) == (1, 1)
    new = _register_changes(runtime, after=before)
    assert sorted(str(p["status"]) for p in new) == ["moved_out", "removed"]
    # Each resident's latest entry supersedes the earlier ones: still one change per resident.
    assert len(_register_changes(runtime)) == 12


def test_a_file_with_one_bad_row_changes_nothing(runtime: PlatformRuntime) -> None:
    lines = DEMO.read_text(encoding="utf-8").splitlines()
    before = len(_register_changes(runtime))
    bad = "\n".join([lines[0], *lines[2:], "460107199001011234,错,男,1990-01-01,01,1,1,1,H,2020-01-01,active"])
    with pytest.raises(AppError) as caught:
        _import(runtime, bad)
    assert caught.value.code == "register.rejected"
    assert caught.value.context["rejected"][0]["line"] == 13
    assert len(_register_changes(runtime)) == before
    with runtime.db() as session:
        assert register.register_size(session, COMMUNITY) == 12


def test_users_see_the_communities_under_their_unit(runtime: PlatformRuntime) -> None:
    other = {"city": {"code": "460100", "zh": "海口市", "en": "Haikou City"},
             "district": {"code": "460108", "zh": "美兰区", "en": "Meilan District"},
             "street": {"code": "460108001", "zh": "东街道", "en": "East Street"},
             "community": {"code": "460108001001", "zh": "东社区", "en": "East Community"}}
    with write_transaction(runtime.db) as session:
        assert org.load_tree(session, other) == 3  # the city was there already
    with runtime.db() as session:
        qiongshan = sorted(c.code for c in load_district().communities)  # the seed district, whole
        assert sorted(org.communities_under(session, "460100")) == [*qiongshan, "460108001001"]
        assert sorted(org.communities_under(session, "460107")) == qiongshan
        assert org.communities_under(session, "460107002") == [c for c in qiongshan if c.startswith("460107002")]
        assert org.communities_under(session, "460107002001-01") == [COMMUNITY]  # a grid sees its community
        assert org.communities_under(session, "460108001") == ["460108001001"]
