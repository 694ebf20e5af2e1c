"""The dispatch catalogue: category × area (× grade × kind of place) → level, unit and role."""

from __future__ import annotations

import pytest

from backend.shared.tickets.config import DispatchRule, TicketConfig
from backend.shared.tickets.dispatch import Place, matching_rule, suggest_dispatch

COMMUNITY = "460107002001"
ANCESTORS = {"community": COMMUNITY, "street": "460107002", "district": "460107", "city": "460100"}
GRIDS = {"1": "460107002001-01", "2": "460107002001-01", "3": "460107002001-01", "5": "460107002001-01",
         "7": "460107002001-02", "9": "460107002001-02", "11": "460107002001-02"}


class Tree:
    def ancestor(self, code: str, level: str) -> str | None:
        return ANCESTORS.get(level)

    def grid_of_building(self, community: str, building: str) -> str | None:
        return GRIDS.get(building)


@pytest.mark.parametrize(("category", "grade", "place", "unit", "level", "role"), [
    ("property_repairs", "normal", Place("building", "3", "2"), "460107002001-01", "grid", "grid_worker"),
    ("property_repairs", "normal", Place("building", "9", "1"), "460107002001-02", "grid", "grid_worker"),
    ("property_repairs", "normal", Place("building", "99", "1"), COMMUNITY, "community", "grid_worker"),
    ("safety_hazard", "urgent", Place("building", "3", "2"), "460107002", "street", "police_officer"),
    ("safety_hazard", "normal", Place("public", landmark="north_gate"), "460107002001-01", "grid",
     "grid_worker"),
    ("environment_sanitation", "normal", Place("public", landmark="waste_station"), "460107002", "street",
     "law_enforcement"),
    ("environment_sanitation", "normal", Place("building", "7", "1"), "460107002001-02", "grid",
     "grid_worker"),
    ("neighbour_dispute", "complex", Place("building", "5", "1"), "460107002", "street", "mediator"),
    ("neighbour_dispute", "normal", Place("building", "5", "1"), COMMUNITY, "community", "mediator"),
    ("property_repairs", "normal", Place("public", landmark="service_centre"), COMMUNITY, "community",
     "grid_worker"),
    ("public_facilities", "normal", Place("address", "和平街1号"), "460107002", "street", "law_enforcement"),
    ("praise", "normal", Place("public"), COMMUNITY, "community", "grid_worker"),
])
def test_suggested_dispatch(config: TicketConfig, category: str, grade: str, place: Place, unit: str,
                            level: str, role: str) -> None:
    found = suggest_dispatch(config, Tree(), category=category, grade=grade, community=COMMUNITY, place=place)
    assert (found.unit, found.level, found.role) == (unit, level, role)


def test_area_rules_and_fixed_units(config: TicketConfig) -> None:
    special = DispatchRule(category="public_facilities", area="460108", level="district", role="law_enforcement",
                           unit="460108")
    custom = config.model_copy(update={"dispatch": [special, *config.dispatch]})
    _index, rule = matching_rule(custom, category="public_facilities", grade="normal",
                                 community="460108002003", place_kind="public")
    assert rule is special
    _index, rule = matching_rule(custom, category="public_facilities", grade="normal", community=COMMUNITY,
                                 place_kind="public")
    assert rule is not special
    found = suggest_dispatch(custom, Tree(), category="public_facilities", grade=None,
                             community="460108002003", place=Place("public"))
    assert (found.unit, found.level, found.rule) == ("460108", "district", 0)
