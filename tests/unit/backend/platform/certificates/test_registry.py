"""The certificate registry: found by serial, identifier, masked number or name within the user's
area, never by a full ID number; revoked with a reason (published to every station); expired."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from backend.platform.db.area_models import ChangeRecord
from backend.platform.db.certificate_models import CertificateRecord
from backend.platform.db.session import write_transaction
from backend.platform.runtime import PlatformRuntime
from backend.platform.services.certificates import registry
from backend.shared.errors import AppError

from ..conftest import COMMUNITY
from .conftest import FakeStation


def _search(runtime: PlatformRuntime, query: dict[str, str], communities: list[str] | None = None) -> list[str]:
    with runtime.db() as session:
        found = registry.search(session, registry.Query(**query), communities=communities or [COMMUNITY],
                                limit=50)
    return [c["serial"] for c in found]


@pytest.fixture
def issued(station_a: FakeStation) -> list[dict[str, object]]:
    certificates = [station_a.certificate(), station_a.certificate("李四", "4601*************1"),
                    station_a.certificate("张三丰", "4601*************4")]
    station_a.send(*[("certificate.issued", c) for c in certificates])
    return certificates


SEARCHES: list[tuple[dict[str, str], list[int]]] = [
    ({"q": "2026-S01-000002"}, [1]),
    ({"q": "000003"}, [2]),
    ({"q": "4601*************1"}, [1]),
    ({"q": "4601*************2"}, [0]),
    ({"q": "张三"}, [0, 2]),
    ({"name": "李"}, [1]),
    ({"id_masked": "4601*************4"}, [2]),
    ({"serial": "S01", "name": "张三丰"}, [2]),
    ({"q": "%"}, []),
    ({"type_code": "ZZZM"}, []),
]


def test_search(runtime: PlatformRuntime, issued: list[dict[str, str]]) -> None:
    # One table against one database: building a runtime per row would cost a second each.
    for query, expected in SEARCHES:
        assert sorted(_search(runtime, query)) == sorted(issued[i]["serial"] for i in expected), query


def test_search_by_identifier_and_only_in_the_users_area(runtime: PlatformRuntime,
                                                         issued: list[dict[str, str]]) -> None:
    assert _search(runtime, {"q": issued[0]["identifier"]}) == [issued[0]["serial"]]
    assert _search(runtime, {"q": "张三"}, ["460107002002"]) == []
    with runtime.db() as session, pytest.raises(AppError) as hidden:
        registry.visible(session, issued[0]["id"], ["460107002002"])
    assert hidden.value.code == "certificate.not_found"


@pytest.mark.parametrize("query", [{"q": "460107195803179912"}, {"q": "46010719580317991x"},
                                   {"name": "460107 19580317991X"}, {"serial": "460107580317991"},
                                   {"id_masked": "460107195803179911"}])
def test_a_full_id_number_is_refused(query: dict[str, str]) -> None:
    with pytest.raises(AppError) as refused:
        registry.Query(**query).refuse_full_id()
    assert refused.value.code == "certificate.search_full_id"


def test_a_search_holding_a_full_id_number_is_refused(runtime: PlatformRuntime) -> None:
    with pytest.raises(AppError) as refused:
        _search(runtime, {"q": "查 460107195803179912"})
    assert refused.value.code == "certificate.search_full_id"


def test_a_revocation_is_published_once_and_outlives_expiry(runtime: PlatformRuntime, station_a: FakeStation,
                                                           issued: list[dict[str, str]]) -> None:
    first, second = issued[0], issued[1]
    for _ in range(2):
        with write_transaction(runtime.db) as session:
            record = registry.visible(session, first["id"], [COMMUNITY])
            registry.revoke(session, record, reason="登记有误", by="admin", now=runtime.clock.now())
    with runtime.db() as session:
        detail = registry.detail(session, registry.visible(session, first["id"], [COMMUNITY]))
        published = session.scalars(select(ChangeRecord).where(ChangeRecord.kind == "revocation")).all()
    assert detail["state"] == "revoked" and detail["revocation"]["reason"] == "登记有误"
    assert [(c.scope, c.payload["issuer"], c.payload["serial"]) for c in published] == [
        ("district", "st-a", first["serial"])]
    station_a.send(("certificate.expired", {"id": first["id"], "serial": first["serial"], "at": "x"}),
                   ("certificate.expired", {"id": second["id"], "serial": second["serial"], "at": "x"}))
    with runtime.db() as session:
        states = {r.id: r.state for r in session.scalars(select(CertificateRecord))}
    assert (states[first["id"]], states[second["id"]]) == ("revoked", "expired")


def test_a_station_expires_only_its_own_certificates(runtime: PlatformRuntime, station_b: FakeStation,
                                                     issued: list[dict[str, str]]) -> None:
    ack = station_b.send(("certificate.expired", {"id": issued[0]["id"]}), ("certificate.expired", {}))
    assert [r.reason for r in ack.rejected] == ["not a certificate of this station"] * 2
    assert _search(runtime, {"state": "expired"}) == []
