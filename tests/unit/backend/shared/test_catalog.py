"""The certificate catalog: the shipped file loads, and every kind of mistake is named."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest
import yaml

import assets
from backend.shared.catalog import (
    CatalogError,
    ResidentFacts,
    check_eligibility,
    load_catalog,
    parse_catalog,
)

SHIPPED = assets.path("catalog", "certificates.yaml")


@pytest.fixture
def raw() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    return data


def test_shipped_catalog_offers_the_starter_set() -> None:
    catalog = load_catalog(SHIPPED)
    offered = {c.code: c for c in catalog.for_area("460107002001")}
    assert offered["JZZM"].name.zh == "居住证明" and not offered["JZZM"].approval
    assert offered["ZZZM"].name.zh == "租住证明"
    assert offered["PKXS"].approval is True
    forbidden = [c for c in offered.values() if c.forbidden]
    assert len(forbidden) >= 2 and all(c.alternative is not None for c in forbidden)


def test_an_area_not_listed_offers_nothing() -> None:
    assert load_catalog(SHIPPED).for_area("999999999999") == []


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda r: r["certificates"][0].pop("template"), "JZZM: Value error, an issuable type needs template"),
        (lambda r: r["certificates"][0].pop("code"), "code: Field required"),
        (lambda r: r["certificates"][0].update(validity_days=0), "validity_days >= 1"),
        (lambda r: r["certificates"][0]["eligibility"].append({"rule": "lucky"}), "unknown eligibility rule"),
        (lambda r: r["certificates"][0]["eligibility"].append({"rule": "max_age"}), "needs a whole number `years`"),
        (lambda r: r["certificates"][3].pop("alternative"), "needs `alternative`"),
        (lambda r: r["certificates"].append(copy.deepcopy(r["certificates"][0])), "duplicate certificate codes"),
        (lambda r: r["areas"]["460107002001"].append("NOPE"), "lists unknown types ['NOPE']"),
        (lambda r: r["certificates"][0].update(register_fields=["salary"]), "unknown register field"),
        (lambda r: r["certificates"][0].update(colour="red"), "colour: Extra inputs are not permitted"),
    ],
)
def test_a_mistake_in_the_catalog_is_named(raw: dict[str, Any], mutate: Any, expected: str) -> None:
    mutate(raw)
    with pytest.raises(CatalogError) as caught:
        parse_catalog(raw, source="certificates.yaml")
    assert caught.value.code == "catalog.invalid"
    assert expected in caught.value.detail
    assert caught.value.detail.startswith("certificates.yaml:")


def test_unreadable_yaml_is_a_catalog_error(tmp_path: Any) -> None:
    bad = tmp_path / "c.yaml"
    bad.write_text("certificates: [unclosed", encoding="utf-8")
    with pytest.raises(CatalogError, match="cannot read"):
        load_catalog(bad)


TODAY = date(2026, 11, 26)


@pytest.mark.parametrize(
    ("facts", "failed"),
    [
        (ResidentFacts(True, "active", date(2010, 5, 1), date(1958, 3, 17)), []),
        (ResidentFacts(False), ["registered", "status_active", "min_months_registered"]),
        (ResidentFacts(True, "moved_out", date(2010, 5, 1)), ["status_active"]),
        (ResidentFacts(True, "active", date(2026, 9, 1)), ["min_months_registered"]),
        (ResidentFacts(True, "active", date(2026, 5, 26)), []),  # exactly six months
        (ResidentFacts(True, "active", date(2026, 5, 27)), ["min_months_registered"]),
    ],
)
def test_residence_proof_eligibility(facts: ResidentFacts, failed: list[str]) -> None:
    kind = load_catalog(SHIPPED).get("JZZM")
    assert kind is not None
    assert [f.rule for f in check_eligibility(kind, facts, TODAY)] == failed


def test_student_proof_has_an_age_limit() -> None:
    kind = load_catalog(SHIPPED).get("PKXS")
    assert kind is not None
    young = ResidentFacts(True, "active", date(2012, 1, 15), date(2008, 5, 21))
    old = ResidentFacts(True, "active", date(2012, 1, 15), date(1977, 2, 9))
    assert check_eligibility(kind, young, TODAY) == []
    assert [f.rule for f in check_eligibility(kind, old, TODAY)] == ["max_age"]
